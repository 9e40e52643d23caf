namespace InferenceServer.Engine.Generation;

/// <summary>
/// Prompt-lookup speculative decoding (configuration <c>Models:N:Speculation</c>): no draft model; a greedy row's next
/// tokens are drafted by finding its last generated n-gram earlier in its prompt or output, and the model checks the
/// whole draft in one run. Only greedy rows without a constraint speculate (see <see cref="PromptLookup"/>).
/// </summary>
public sealed record SpeculationOptions
{
    /// <summary>Most tokens drafted per step; 0 turns speculation off.</summary>
    public int MaxDraftTokens { get; set; } = 8;

    /// <summary>Longest n-gram matched (shorter ones are tried next, down to 1 token).</summary>
    public int NgramSize { get; set; } = 3;

    /// <summary>
    /// Speculation runs only while at most this many sequences decode: each drafting row is verified in a run of its
    /// own (GroupQueryAttention takes several new tokens after a past only for a batch of one), which costs more than it
    /// saves once the batched step has several rows to share (the serving benchmark's <c>speculation</c> scenario
    /// measures the crossover).
    /// </summary>
    public int MaxBatch { get; set; } = 1;

    /// <summary>Whether the scheduler drafts at all.</summary>
    public bool Enabled => MaxDraftTokens > 0 && NgramSize > 0 && MaxBatch > 0;
}
