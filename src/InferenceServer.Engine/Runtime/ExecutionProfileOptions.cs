namespace InferenceServer.Engine.Runtime;

/// <summary>
/// One execution-provider profile (configuration section <c>Runtime</c>): which ONNX Runtime provider runs the
/// models, its provider options and thread settings, and what to do when the loaded runtime lacks the provider.
/// </summary>
public sealed class ExecutionProfileOptions
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";
    public const string DirectMl = "directml";

    /// <summary>
    /// <c>cpu</c> (default), <c>cuda</c>, <c>directml</c>, <c>cann</c> (Huawei Ascend), <c>openvino</c>, <c>qnn</c>,
    /// <c>tensorrt</c>, <c>rocm</c>, <c>migraphx</c> or <c>coreml</c> (<see cref="ProviderProfiles"/>).
    /// </summary>
    public string Profile { get; set; } = Cpu;

    /// <summary>
    /// A custom-built <c>libonnxruntime</c> to load instead of the one the package ships (how providers without a NuGet
    /// package run, such as CANN: ONNX Runtime built with <c>--use_cann --build_shared_lib</c>). Empty: the package's.
    /// </summary>
    public string NativeLibraryPath { get; set; } = string.Empty;

    /// <summary>
    /// Refuse to load a graph any of whose nodes ONNX Runtime would place on CPU because the profile's provider cannot
    /// run them (<c>session.disable_cpu_ep_fallback=1</c>); the load then fails with ONNX Runtime's message instead of
    /// running partly on CPU. Not with the <c>cpu</c> profile, and not applied when the profile fell back to CPU.
    /// </summary>
    public bool DisableCpuFallback { get; set; }

    /// <summary><c>none</c> (default: a missing provider stops the server) or <c>cpu</c> (run on CPU and say so).</summary>
    public string Fallback { get; set; } = "none";

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads across independent operators; 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin between operators while a run is in flight; they are parked as soon
    /// as it returns (<c>session.force_spinning_stop</c>), so the cores go to the HTTP side between runs. Unset: on
    /// for text models, whose scheduler thread is the only caller of the session (parked workers must be woken for
    /// every parallel operator, which made a one-row decode step 0.6–1 ms slower and the 16-client serving figure
    /// about 10% lower on 2 cores), off for embedding and image models, which run several requests at once and whose
    /// HTTP side has more to do per run. True or false applies to every model.
    /// </summary>
    public bool? AllowSpinning { get; set; }

    /// <summary>
    /// Linux, CPU profile: after a text model loads, ask the kernel to back its weights with transparent huge pages
    /// (2 MiB). Each decode step streams all weights; on huge pages a one-sequence step ran about 8% faster here.
    /// Costs a moment at load (the pages are collapsed then); no effect where the kernel's THP setting is <c>never</c>.
    /// </summary>
    public bool HugePages { get; set; } = true;

    /// <summary>Device ordinal for the profiles whose provider has a <c>device_id</c> option, unless ProviderOptions sets it.</summary>
    public int DeviceId { get; set; }

    /// <summary>
    /// ONNX Runtime session configuration entries passed as they are, after the server's own (for example
    /// <c>session.dynamic_block_base</c>, <c>session.intra_op_thread_affinities</c>); a key the server sets is overridden.
    /// </summary>
    public Dictionary<string, string> SessionConfig { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Provider options for the profile's provider (for example <c>npu_mem_limit</c>, <c>precision_mode</c>); each key
    /// is checked at start against the options that provider documents (<see cref="ProviderProfile.OptionKeys"/>).
    /// </summary>
    public Dictionary<string, string> ProviderOptions { get; set; } = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> KnownProfiles { get; } = [.. ProviderProfiles.All.Select(p => p.Name)];

    public static IReadOnlyList<string> KnownFallbacks { get; } = ["none", Cpu];
}
