namespace InferenceServer.Engine.Generation;

/// <summary>
/// The log-probability of one generated token under the distribution it was sampled from (log-softmax of the logits
/// after constraints), with the most likely alternatives. <see cref="Reasoning"/>: the token belongs to the think block.
/// </summary>
public sealed record TokenLogprobs(TokenLogprob Chosen, IReadOnlyList<TokenLogprob> Top, bool Reasoning) : GenerationEvent;
