using InferenceServer.Engine.Generation.Constraints;

namespace InferenceServer.Engine.Generation;

/// <summary>A tokenized prompt and how to continue it.</summary>
public sealed record GenerationRequest(
    IReadOnlyList<int> PromptTokens,
    int MaxTokens,
    SamplingOptions Sampling,
    IReadOnlyList<string> StopStrings,
    bool StartsInsideThinking)
{
    /// <summary>Parse tool calls (DeepSeek markers, Hermes <c>&lt;tool_call&gt;</c>) out of the content into <see cref="ToolCallDelta"/>s.</summary>
    public bool ParseToolCalls { get; init; }

    /// <summary>When set, every sampled token keeps the output inside this grammar (JSON output, forced tool calls).</summary>
    public TokenGrammar? Grammar { get; init; }

    /// <summary>When set, each generated token also gets a <see cref="TokenLogprobs"/> event with this many alternatives (0–20).</summary>
    public int? TopLogprobs { get; init; }

    /// <summary>The encoded images whose tokens are the prompt's negative ids (a vision-language model), or null.</summary>
    public PromptImages? Images { get; init; }
}
