using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Turns an execution-provider profile into <see cref="SessionOptions"/>. Checks the provider against the providers
/// compiled into the loaded ONNX Runtime, so a CPU-only build asked for CUDA fails with the package to install,
/// or falls back to CPU when the profile allows it.
/// </summary>
public sealed class SessionFactory
{
    private readonly ExecutionProfileOptions _profile;
    private readonly IReadOnlySet<string> _availableProviders;
    private readonly Func<string, string?> _probe;

    public SessionFactory(ExecutionProfileOptions profile)
        : this(profile, OrtEnv.Instance().GetAvailableProviders(), probe: null)
    {
    }

    /// <param name="probe">Tries to start a provider; returns why it cannot, or null. Defaults to a real attempt.</param>
    internal SessionFactory(ExecutionProfileOptions profile, IEnumerable<string> availableProviders, Func<string, string?>? probe)
    {
        _profile = profile;
        _availableProviders = new HashSet<string>(availableProviders, StringComparer.Ordinal);
        _probe = probe ?? ProbeProvider;
        Plan = MakePlan();
    }

    public SessionPlan Plan { get; }

    /// <summary>Whether a text model's weights go on transparent huge pages after loading (CPU profile only).</summary>
    public bool WeightsOnHugePages => _profile.HugePages && Plan.EffectiveProvider == "CPUExecutionProvider";

    /// <param name="spinningByDefault">Whether workers spin during a run when <c>Runtime:AllowSpinning</c> is unset.</param>
    public SessionOptions CreateOptions(bool spinningByDefault = false)
    {
        var spinning = _profile.AllowSpinning ?? spinningByDefault;
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", spinning ? "1" : "0");

        // Spinning, when allowed, lasts only while a run is in flight: parked between runs, the workers leave the
        // cores to the HTTP side (and to other models' sessions) between scheduler steps.
        options.AddSessionConfigEntry("session.force_spinning_stop", "1");
        foreach (var (key, value) in _profile.SessionConfig)
        {
            options.AddSessionConfigEntry(key, value);
        }
        if (_profile.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = _profile.IntraOpThreads;
        }

        if (_profile.InterOpThreads > 0)
        {
            options.InterOpNumThreads = _profile.InterOpThreads;
            options.ExecutionMode = ExecutionMode.ORT_PARALLEL;
        }

        try
        {
            AppendProvider(options, Plan.EffectiveProvider);
        }
        catch
        {
            options.Dispose();
            throw;
        }

        return options;
    }

    private void AppendProvider(SessionOptions options, string provider)
    {
        switch (provider)
        {
            case "CUDAExecutionProvider":
                var cuda = new OrtCUDAProviderOptions();
                var settings = new Dictionary<string, string>(_profile.ProviderOptions, StringComparer.Ordinal)
                {
                    ["device_id"] = _profile.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                cuda.UpdateOptions(settings);
                options.AppendExecutionProvider_CUDA(cuda);
                break;
            case "DmlExecutionProvider":
                options.EnableMemoryPattern = false;
                options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
                options.AppendExecutionProvider("DML", _profile.ProviderOptions);
                break;
            default:
                break;
        }
    }

    private SessionPlan MakePlan()
    {
        var profile = _profile.Profile.ToLowerInvariant();
        var (provider, package) = profile switch
        {
            ExecutionProfileOptions.Cuda => ("CUDAExecutionProvider",
                "the CUDA build: publish with -p:OnnxRuntimeFlavor=Cuda (package Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0) or use deploy/docker/Dockerfile.cuda"),
            ExecutionProfileOptions.DirectMl => ("DmlExecutionProvider",
                "a Windows build with the package Microsoft.ML.OnnxRuntime.DirectML (not restorable on Linux)"),
            ExecutionProfileOptions.Cpu => ("CPUExecutionProvider", string.Empty),
            _ => throw new ProviderUnavailableException(
                $"Runtime:Profile '{_profile.Profile}' is not known; use one of: {string.Join(", ", ExecutionProfileOptions.KnownProfiles)}."),
        };

        string reason;
        if (!_availableProviders.Contains(provider))
        {
            reason = $"Runtime:Profile '{profile}' needs {provider}, which this ONNX Runtime build does not contain " +
                $"(it has: {string.Join(", ", _availableProviders.Order(StringComparer.Ordinal))}). Install {package}.";
        }
        else if (provider != "CPUExecutionProvider" && _probe(provider) is { } failure)
        {
            // The build has the provider but the machine cannot start it (no GPU, or missing CUDA/cuDNN libraries).
            reason = $"Runtime:Profile '{profile}': this build has {provider}, but it cannot start on this machine: {failure}";
        }
        else
        {
            return new SessionPlan(profile, provider, FellBackToCpu: false, FallbackReason: null);
        }

        if (string.Equals(_profile.Fallback, ExecutionProfileOptions.Cpu, StringComparison.OrdinalIgnoreCase))
        {
            return new SessionPlan(profile, "CPUExecutionProvider", FellBackToCpu: true, FallbackReason: reason);
        }

        throw new ProviderUnavailableException(reason + " Or set Runtime:Fallback to 'cpu' to run on CPU instead.");
    }

    private string? ProbeProvider(string provider)
    {
        try
        {
            using var probe = new SessionOptions();
            AppendProvider(probe, provider);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
    }
}
