namespace InferenceServer.Contracts;

/// <summary>DeepSeek's model object plus what a local server knows: context window, capabilities, where it runs.</summary>
public sealed class ModelCard
{
    public required string Id { get; init; }

    public string Object { get; init; } = "model";

    public required long Created { get; init; }

    public string OwnedBy { get; init; } = "inferenceserver";

    /// <summary>The loaded model this name serves (the configured id).</summary>
    public required string Root { get; init; }

    /// <summary>Prompt plus output tokens a request may use.</summary>
    public required int ContextWindow { get; init; }

    public required int MaxOutputTokens { get; init; }

    /// <summary>
    /// What the model reads: <c>["text"]</c>, or <c>["text", "image"]</c> for a model that takes image parts, with
    /// <c>"video"</c> after them when the server also has FFmpeg to sample video parts into frames.
    /// </summary>
    public required List<string> InputModalities { get; init; }

    public required List<string> OutputModalities { get; init; }

    public required ModelCapabilities Capabilities { get; init; }

    public required ModelRuntimeInfo Runtime { get; init; }

    /// <summary>Image and video models: the sizes <c>size</c> accepts (<c>WIDTHxHEIGHT</c>).</summary>
    public List<string>? Sizes { get; init; }

    /// <summary>Embedding models: the length of the vectors they return.</summary>
    public int? Dimensions { get; init; }
}
