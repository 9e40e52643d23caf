namespace InferenceServer.Contracts;

/// <summary>One generated token's log-probability, its UTF-8 bytes and the most likely alternatives.</summary>
public sealed class LogprobDto
{
    public required string Token { get; init; }

    public required double Logprob { get; init; }

    public required List<int> Bytes { get; init; }

    /// <summary>The alternatives (absent inside <c>top_logprobs</c> itself).</summary>
    public List<LogprobDto>? TopLogprobs { get; init; }
}
