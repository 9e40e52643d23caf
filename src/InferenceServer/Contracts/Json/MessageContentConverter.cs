using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceServer.Contracts.Json;

/// <summary>
/// Message <c>content</c>: a string, or an array of content parts. Text parts are joined in order; image, file and
/// video parts are kept as sent (the vision layer reads and checks them, naming the part) and each leaves
/// <see cref="MessageContent.ImageMarker"/> in the text where it stood (a video's frames all go there); other part
/// types are refused.
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
                    List<MessagePart>? media = null;
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
                        else if (kind is "image_url" or "file" or "video_url" or "input_video")
                        {
                            (media ??= []).Add(new MessagePart(index, kind, part.Clone()));
                            text.Append(MessageContent.ImageMarker);
                        }
                        else
                        {
                            throw new JsonFieldException(UnsupportedPart(kind)) { Unsupported = true };
                        }
                    }

                    return new MessageContent(text.ToString(), IsParts: true, media);
                }

            default:
                throw new JsonFieldException("expected a string or an array of content parts.");
        }
    }

    /// <summary>The refusal of a part no model reads (audio, say); the Anthropic and Responses routes say the same of theirs.</summary>
    public static string UnsupportedPart(string? kind) =>
        $"content parts of type '{kind}' are not supported; send text or image parts.";

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text);
}
