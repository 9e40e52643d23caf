namespace InferenceServer.Engine.Generation;

/// <summary>How one model's scheduler runs: sequences at once, prefill chunking, admission bounds, prefix cache budget.</summary>
public sealed record SchedulerOptions
{
    /// <summary>The most sequences decoded together in one batched step (KV rows); the KV budget may admit fewer.</summary>
    public int MaxSequences { get; init; } = 16;

    /// <summary>Prompt tokens per prefill chunk, so running streams keep getting tokens during a long prefill.</summary>
    public int PrefillChunkTokens { get; init; } = 256;

    /// <summary>
    /// Shortest prompt first, within this bound: a request waiting this many scheduler steps goes ahead of every
    /// shorter one, into a row and into the prefill run.
    /// </summary>
    public int PrefillMaxWaitSteps { get; init; } = 16;

    public int MaxQueuedRequests { get; init; } = 64;

    /// <summary>Prompt tokens of all waiting requests together.</summary>
    public int MaxQueuedTokens { get; init; } = 262_144;

    /// <summary>A request that has not started within this time is ended with an error.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Memory for KV blocks of earlier prompts; 0 turns the prefix cache off.</summary>
    public long PrefixCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>This model build's directory for the prefix cache's disk tier; null keeps the cache in memory only.</summary>
    public string? PrefixCacheDirectory { get; init; }

    /// <summary>Bytes of prefix-cache blocks kept on disk.</summary>
    public long PrefixCacheDiskBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Prompt-lookup speculative decoding for greedy rows while few sequences decode.</summary>
    public SpeculationOptions Speculation { get; init; } = new();

    /// <summary>The clock for queue times, timeouts and latencies.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
