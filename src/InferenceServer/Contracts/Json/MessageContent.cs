using System.Text.Json.Serialization;

namespace InferenceServer.Contracts.Json;

/// <summary>
/// The text of a message's <c>content</c>, whichever shape it came in, and its media parts (images, files, videos),
/// which the vision layer reads before the request goes further. Each image or video part leaves <see cref="ImageMarker"/>
/// in <see cref="Text"/> where it stood, for a vision model's prompt to put that image's placeholder (or the video's
/// frames' placeholders) there.
/// </summary>
[JsonConverter(typeof(MessageContentConverter))]
public sealed record MessageContent(string Text, bool IsParts, IReadOnlyList<MessagePart>? MediaParts = null)
{
    /// <summary>U+FFFC OBJECT REPLACEMENT CHARACTER: where an image or video part stood in the text (chat, Anthropic and Responses alike).</summary>
    public const string ImageMarker = "\uFFFC";
}
