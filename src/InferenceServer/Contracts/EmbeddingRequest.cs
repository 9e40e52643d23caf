using System.Text.Json;

namespace InferenceServer.Contracts;

/// <summary>OpenAI's embeddings request.</summary>
public sealed class EmbeddingRequest
{
    /// <summary>A string, an array of strings, an array of token ids, or an array of token-id arrays.</summary>
    public JsonElement? Input { get; init; }

    public string? Model { get; init; }

    /// <summary><c>float</c> (default) or <c>base64</c> (little-endian float32).</summary>
    public string? EncodingFormat { get; init; }

    /// <summary>Return the first this-many components, re-normalised to unit length.</summary>
    public int? Dimensions { get; init; }

    /// <summary>An end-user id; accepted and not stored.</summary>
    public string? User { get; init; }
}
