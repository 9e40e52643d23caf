namespace InferenceServer.Engine.Models;

/// <summary>One configured model (configuration section <c>Models</c>, a list).</summary>
public sealed class ModelOptions
{
    /// <summary>The id clients send as <c>model</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The model folder (ONNX Runtime GenAI layout for text models, or a Janus-Pro ONNX export).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary><c>text</c>, or <c>embedding</c> for a sentence-transformers ONNX folder.</summary>
    public string Kind { get; set; } = "text";

    /// <summary>Default thinking mode under <see cref="Id"/>: <c>enabled</c>, <c>disabled</c>, or <c>none</c> for a model that cannot think.</summary>
    public string Thinking { get; set; } = "enabled";

    /// <summary>Other names for the same loaded model, each with its own default thinking mode.</summary>
    public List<ModelAliasOptions> Aliases { get; set; } = [];

    /// <summary>Cap on prompt + output tokens (the KV cache is sized by it, not by the model's full context).</summary>
    public int MaxContextLength { get; set; } = 4096;

    /// <summary>The most sequences decoded together in one batched step; the KV budget (<see cref="KvCacheMiB"/>) may admit fewer.</summary>
    public int MaxConcurrentSequences { get; set; } = 16;

    /// <summary>
    /// Memory for the KV cache of all running sequences in MiB. Each sequence reserves its prompt + max_tokens (not a
    /// whole context), so short requests share it. 0 (default): derived at start from the model and the machine, see
    /// <see cref="KvBudget"/>.
    /// </summary>
    public int KvCacheMiB { get; set; }

    /// <summary>Prompt tokens per prefill chunk.</summary>
    public int PrefillChunkTokens { get; set; } = 256;

    /// <summary>Requests that may wait for a slot; more get 503.</summary>
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>Prompt tokens that may wait for a slot, all requests together; more get 503.</summary>
    public int MaxQueuedTokens { get; set; } = 262_144;

    /// <summary>A request that has not started within this many seconds is ended with an error (DeepSeek: 10 minutes).</summary>
    public int QueueTimeoutSeconds { get; set; } = 600;

    /// <summary>Memory for the prefix (context) cache in MiB; 0 turns it off.</summary>
    public int PrefixCacheMiB { get; set; } = 256;

    /// <summary>
    /// Where the prefix cache also keeps its blocks on disk, so they survive a restart (DeepSeek's "context caching on
    /// disk"); a subdirectory per model build and KV layout. Empty (default): memory only.
    /// </summary>
    public string PrefixCacheDirectory { get; set; } = string.Empty;

    /// <summary>
    /// Which variant of a Janus-Pro folder's graphs to load: empty (default) reads <c>onnx/language_model.onnx</c> and its
    /// siblings, <c>q4</c> reads <c>onnx/language_model_q4.onnx</c> and so on (transformers.js's suffixes: fp16, q4,
    /// q4f16, int8, uint8, quantized, bnb4). Other folders ignore it.
    /// </summary>
    public string OnnxVariant { get; set; } = string.Empty;

    /// <summary>Disk for the prefix cache's blocks in MiB, when <see cref="PrefixCacheDirectory"/> is set.</summary>
    public int PrefixCacheDiskMiB { get; set; } = 4096;

    /// <summary>Prompt-lookup speculative decoding (greedy rows, while few sequences decode); <c>MaxDraftTokens</c> 0 turns it off.</summary>
    public Generation.SpeculationOptions Speculation { get; set; } = new();

    internal Generation.SchedulerOptions Scheduling() => new()
    {
        MaxSequences = MaxConcurrentSequences,
        PrefillChunkTokens = PrefillChunkTokens,
        MaxQueuedRequests = MaxQueuedRequests,
        MaxQueuedTokens = MaxQueuedTokens,
        QueueTimeout = TimeSpan.FromSeconds(QueueTimeoutSeconds),
        PrefixCacheBytes = PrefixCacheMiB * 1024L * 1024L,
        PrefixCacheDiskBytes = PrefixCacheDiskMiB * 1024L * 1024L,
        Speculation = Speculation,
    };

    /// <summary>Embedding models: inputs per ONNX run.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Embedding models: ONNX runs at the same time on this model.</summary>
    public int MaxConcurrentBatches { get; set; } = 2;

    public static IReadOnlyList<string> Kinds { get; } = ["text", "embedding"];

    public static IReadOnlyList<string> ThinkingModes { get; } = ["enabled", "disabled", "none"];
}
