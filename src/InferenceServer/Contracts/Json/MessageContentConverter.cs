using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceServer.Contracts.Json;

/// <summary>
/// Message <c>content</c>: a string, or an array of content parts. Text parts are joined in order; other part types
/// are refused with a message until the model kind that reads them is loaded. A part that names an uploaded file
/// (<c>file.file_id</c>, <c>image_url.file_id</c>) is kept as a reference instead, so the file is looked up first.
/// </summary>
public sealed class MessageContentConverter : JsonConverter<MessageContent>
{
    public override MessageContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new MessageContent(reader.GetString()!, IsParts: false);
            case JsonTokenType.StartArray:
                using (var doc = JsonDocument.ParseValue(ref reader))
                {
                    var text = new StringBuilder();
                    List<FilePartReference>? files = null;
                    var index = -1;
                    foreach (var part in doc.RootElement.EnumerateArray())
                    {
                        index++;
                        if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                        {
                            throw new JsonFieldException("each content part must be an object with a \"type\".");
                        }

                        var kind = type.GetString();
                        if (kind is "text" && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                        {
                            text.Append(t.GetString());
                        }
                        else if (kind is "text")
                        {
                            throw new JsonFieldException("a text part needs a string \"text\".");
                        }
                        else if (FileReference(part, kind!, index) is { } file)
                        {
                            (files ??= []).Add(file);
                        }
                        else
                        {
                            throw new JsonFieldException(UnsupportedPart(kind)) { Unsupported = true };
                        }
                    }

                    return new MessageContent(text.ToString(), IsParts: true, files);
                }

            default:
                throw new JsonFieldException("expected a string or an array of content parts.");
        }
    }

    /// <summary>The refusal of a part no loaded model reads; the Anthropic route says the same of its blocks.</summary>
    public static string UnsupportedPart(string? kind) =>
        $"content parts of type '{kind}' are not supported by the loaded text models (no vision model is configured); send text parts.";

    /// <summary>
    /// The file a part names: <c>{"type":"file","file":{"file_id"}}</c> (OpenAI), <c>{"type":"file","file_id"}</c>
    /// (DeepSeek's flat form) or <c>{"type":"image_url","image_url":{"file_id"}}</c>.
    /// </summary>
    private static FilePartReference? FileReference(JsonElement part, string kind, int index)
    {
        if (kind is "file" && part.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Object
            && file.TryGetProperty("file_id", out var nested) && nested.ValueKind == JsonValueKind.String)
        {
            return new FilePartReference(index, kind, nested.GetString()!, "file.file_id");
        }

        if (kind is "file" && part.TryGetProperty("file_id", out var flat) && flat.ValueKind == JsonValueKind.String)
        {
            return new FilePartReference(index, kind, flat.GetString()!, "file_id");
        }

        if (kind is "image_url" && part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object
            && image.TryGetProperty("file_id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            return new FilePartReference(index, kind, id.GetString()!, "image_url.file_id");
        }

        return null;
    }

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text);
}
