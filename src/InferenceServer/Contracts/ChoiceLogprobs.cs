namespace InferenceServer.Contracts;

/// <summary><c>choices[].logprobs</c>: per token of <c>content</c> and of <c>reasoning_content</c>.</summary>
public sealed class ChoiceLogprobs
{
    public List<LogprobDto>? Content { get; init; }

    public List<LogprobDto>? ReasoningContent { get; init; }
}
