using System.Text.Json;

namespace InferenceServer.Contracts.Json;

/// <summary>Thrown by our converters with a message meant for the client (what the field accepts).</summary>
public sealed class JsonFieldException : JsonException
{
    public JsonFieldException(string message)
        : base(message)
    {
    }
}
