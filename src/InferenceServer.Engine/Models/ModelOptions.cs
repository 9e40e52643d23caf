namespace InferenceServer.Engine.Models;

/// <summary>One configured model (configuration section <c>Models</c>, a list).</summary>
public sealed class ModelOptions
{
    /// <summary>The id clients send as <c>model</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The model folder (ONNX Runtime GenAI layout for text models).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary><c>text</c>, or <c>embedding</c> for a sentence-transformers ONNX folder.</summary>
    public string Kind { get; set; } = "text";

    /// <summary>Default thinking mode under <see cref="Id"/>: <c>enabled</c>, <c>disabled</c>, or <c>none</c> for a model that cannot think.</summary>
    public string Thinking { get; set; } = "enabled";

    /// <summary>Other names for the same loaded model, each with its own default thinking mode.</summary>
    public List<ModelAliasOptions> Aliases { get; set; } = [];

    /// <summary>Cap on prompt + output tokens (the KV cache is sized by it, not by the model's full context).</summary>
    public int MaxContextLength { get; set; } = 4096;

    /// <summary>Sequences computed at the same time on this model.</summary>
    public int MaxConcurrentSequences { get; set; } = 4;

    /// <summary>Embedding models: inputs per ONNX run.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Embedding models: ONNX runs at the same time on this model.</summary>
    public int MaxConcurrentBatches { get; set; } = 2;

    public static IReadOnlyList<string> Kinds { get; } = ["text", "embedding"];

    public static IReadOnlyList<string> ThinkingModes { get; } = ["enabled", "disabled", "none"];
}
