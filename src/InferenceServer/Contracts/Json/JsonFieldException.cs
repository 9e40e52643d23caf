using System.Text.Json;

namespace InferenceServer.Contracts.Json;

/// <summary>Thrown by our converters with a message meant for the client (what the field accepts).</summary>
public sealed class JsonFieldException : JsonException
{
    public JsonFieldException(string message)
        : base(message)
    {
    }

    /// <summary>
    /// The value is well formed but asks for what no loaded model serves (an image part for a text model): 400 Invalid
    /// Format, as DeepSeek answers it, instead of 422. The Anthropic route refuses the same thing with the same status.
    /// </summary>
    public bool Unsupported { get; init; }
}
