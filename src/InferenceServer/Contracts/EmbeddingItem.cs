namespace InferenceServer.Contracts;

/// <summary>One input's vector: an array of numbers, or with <c>encoding_format: base64</c> a base64 string of little-endian float32.</summary>
public sealed class EmbeddingItem
{
    public string Object { get; init; } = "embedding";

    public required int Index { get; init; }

    /// <summary><c>float[]</c> or a base64 string.</summary>
    public required object Embedding { get; init; }
}
