namespace InferenceServer.Contracts;

/// <summary>The legacy completions logprobs shape: parallel lists per token.</summary>
public sealed class CompletionLogprobs
{
    public required List<string> Tokens { get; init; }

    public required List<double> TokenLogprobs { get; init; }

    /// <summary>Per token: the most likely alternatives, token text → logprob.</summary>
    public required List<Dictionary<string, double>> TopLogprobs { get; init; }

    /// <summary>Per token: its character offset in <c>text</c>.</summary>
    public required List<int> TextOffset { get; init; }
}
