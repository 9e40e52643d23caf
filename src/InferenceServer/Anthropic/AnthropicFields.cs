using System.Text.Json;
using InferenceServer.Errors;

namespace InferenceServer.Anthropic;

/// <summary>
/// Reads the untyped parts of an Anthropic request (messages, blocks, tools) checking each value's JSON type, so a
/// wrong type is a 400 naming the field (Anthropic's <c>messages.0.role</c> style) instead of a JsonElement fault.
/// </summary>
internal static class AnthropicFields
{
    public static ApiException Invalid(string path, string message) => ApiException.InvalidFormat($"{path}: {message}", path);

    public static JsonElement Object(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Object ? value : throw Invalid(path, $"Input should be an object, not {Kind(value)}");

    /// <summary>The string at <paramref name="name"/>; null when absent or null; a 400 when another type.</summary>
    public static string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Invalid($"{path}.{name}", $"Input should be a valid string, not {Kind(value)}");
    }

    public static string RequiredString(JsonElement obj, string name, string path) =>
        OptionalString(obj, name, path) ?? throw Invalid($"{path}.{name}", "Field required");

    /// <summary>The object at <paramref name="name"/>; null when absent or null; a 400 when another type.</summary>
    public static JsonElement? OptionalObject(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return Object(value, $"{path}.{name}");
    }

    /// <summary>A block's <c>type</c>: the block must be an object with a string type.</summary>
    public static string BlockType(JsonElement block, string path) => RequiredString(Object(block, path), "type", path);

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        var other => "a " + other.ToString().ToLowerInvariant(),
    };
}
