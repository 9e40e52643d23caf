namespace InferenceServer.Engine.Generation;

/// <summary>A tokenized prompt and how to continue it.</summary>
public sealed record GenerationRequest(
    IReadOnlyList<int> PromptTokens,
    int MaxTokens,
    SamplingOptions Sampling,
    IReadOnlyList<string> StopStrings,
    bool StartsInsideThinking);
