using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Turns an execution-provider profile into <see cref="SessionOptions"/>. Checks the provider against the providers
/// compiled into the loaded ONNX Runtime, so a CPU-only build asked for CANN or CUDA fails naming what to build or
/// install, or falls back to CPU when the profile allows it. Opens sessions and logs where ONNX Runtime placed each
/// graph's nodes.
/// </summary>
public sealed partial class SessionFactory
{
    private readonly ExecutionProfileOptions _profile;
    private readonly IReadOnlySet<string> _availableProviders;
    private readonly Func<string, string?> _probe;
    private readonly ILogger _logger;

    public SessionFactory(ExecutionProfileOptions profile, ILogger? logger = null)
        : this(profile, OrtEnv.Instance().GetAvailableProviders(), probe: null, logger)
    {
    }

    /// <param name="probe">Tries to start a provider; returns why it cannot, or null. Defaults to a real attempt.</param>
    internal SessionFactory(ExecutionProfileOptions profile, IEnumerable<string> availableProviders, Func<string, string?>? probe, ILogger? logger = null)
    {
        _profile = profile;
        _availableProviders = new HashSet<string>(availableProviders, StringComparer.Ordinal);
        _probe = probe ?? (_ => ProbeSelected());
        _logger = logger ?? NullLogger.Instance;
        Selected = ProviderProfiles.Find(profile.Profile) ?? throw new ProviderUnavailableException(
            $"Runtime:Profile '{_profile.Profile}' is not known; use one of: {string.Join(", ", ExecutionProfileOptions.KnownProfiles)}.");
        Plan = MakePlan();
    }

    public SessionPlan Plan { get; }

    /// <summary>The configured profile.</summary>
    public ProviderProfile Selected { get; }

    /// <summary>Whether a text model's weights go on transparent huge pages after loading (CPU profile only).</summary>
    public bool WeightsOnHugePages => _profile.HugePages && Plan.EffectiveProvider == ProviderProfile.CpuProvider;

    /// <param name="spinningByDefault">Whether workers spin during a run when <c>Runtime:AllowSpinning</c> is unset.</param>
    public SessionOptions CreateOptions(bool spinningByDefault = false)
    {
        var options = CreateBaseOptions(spinningByDefault);
        try
        {
            if (!Plan.FellBackToCpu)
            {
                AppendProvider(options, Selected);
            }
        }
        catch
        {
            options.Dispose();
            throw;
        }

        return options;
    }

    /// <summary>Creates a session and logs which provider ONNX Runtime placed its nodes on.</summary>
    public InferenceSession Open(string modelPath, SessionOptions options)
    {
        var session = new InferenceSession(modelPath, options);
        try
        {
            var placement = GraphPlacement.Read(session);
            LogPlacement(_logger, modelPath, placement.Summary());
        }
        catch (OrtCallException e)
        {
            LogPlacementUnknown(_logger, modelPath, e.Message);
        }

        return session;
    }

    /// <summary>Everything but the provider: threads, spinning, session configuration entries.</summary>
    internal SessionOptions CreateBaseOptions(bool spinningByDefault = false)
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
        options.AddSessionConfigEntry(GraphPlacement.RecordConfigKey, "1");
        if (_profile.DisableCpuFallback && Plan.EffectiveProvider != ProviderProfile.CpuProvider)
        {
            options.AddSessionConfigEntry("session.disable_cpu_ep_fallback", "1");
        }

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

        return options;
    }

    /// <summary>The provider options as configured, with <c>Runtime:DeviceId</c> as the device unless they name one.</summary>
    internal Dictionary<string, string> ProviderSettings()
    {
        var settings = new Dictionary<string, string>(_profile.ProviderOptions, StringComparer.Ordinal);
        if (Selected.DeviceIdKey is { } key && !settings.ContainsKey(key))
        {
            settings[key] = _profile.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private void AppendProvider(SessionOptions options, ProviderProfile profile)
    {
        var settings = ProviderSettings();
        switch (profile.Name)
        {
            case ExecutionProfileOptions.Cuda:
                using (var cuda = new OrtCUDAProviderOptions())
                {
                    cuda.UpdateOptions(settings);
                    options.AppendExecutionProvider_CUDA(cuda);
                }

                break;
            case ExecutionProfileOptions.DirectMl:
                options.EnableMemoryPattern = false;
                options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
                options.AppendExecutionProvider("DML", settings);
                break;
            case "cann":
                CannProvider.Append(options, settings);
                break;
            case "tensorrt":
                using (var trt = new OrtTensorRTProviderOptions())
                {
                    trt.UpdateOptions(settings);
                    options.AppendExecutionProvider_Tensorrt(trt);
                }

                break;
            case "rocm":
                using (var rocm = new OrtROCMProviderOptions())
                {
                    rocm.UpdateOptions(settings);
                    options.AppendExecutionProvider_ROCm(rocm);
                }

                break;
            case "openvino":
                options.AppendExecutionProvider("OpenVINO", settings);
                break;
            case "qnn":
                options.AppendExecutionProvider("QNN", settings);
                break;
            case "migraphx":
                options.AppendExecutionProvider("MIGraphX", settings);
                break;
            case "coreml":
                options.AppendExecutionProvider("CoreML", settings);
                break;
            default:
                break;
        }
    }

    private SessionPlan MakePlan()
    {
        var profile = Selected.Name;
        var provider = Selected.Provider;
        string reason;
        if (!_availableProviders.Contains(provider))
        {
            reason = $"Runtime:Profile '{profile}' needs {provider}, which this ONNX Runtime build does not contain " +
                $"(it has: {string.Join(", ", _availableProviders.Order(StringComparer.Ordinal))}). Install {Selected.Install}.";
        }
        else if (provider != ProviderProfile.CpuProvider && _probe(provider) is { } failure)
        {
            // The build has the provider but the machine cannot start it (no device, or missing vendor libraries).
            reason = $"Runtime:Profile '{profile}': this build has {provider}, but it cannot start on this machine: {failure}";
        }
        else
        {
            return new SessionPlan(profile, provider, FellBackToCpu: false, FallbackReason: null);
        }

        if (string.Equals(_profile.Fallback, ExecutionProfileOptions.Cpu, StringComparison.OrdinalIgnoreCase))
        {
            return new SessionPlan(profile, ProviderProfile.CpuProvider, FellBackToCpu: true, FallbackReason: reason);
        }

        throw new ProviderUnavailableException(reason + " Or set Runtime:Fallback to 'cpu' to run on CPU instead.");
    }

    private string? ProbeSelected()
    {
        try
        {
            using var probe = new SessionOptions();
            AppendProvider(probe, Selected);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or OrtCallException or DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
        {
            return e.Message;
        }
    }
}
