using System.Text.Json.Serialization;

namespace InferenceServer.Contracts.Json;

/// <summary>
/// The text of a message's <c>content</c>, whichever shape it came in, and its media parts (images, files, videos),
/// which the vision layer reads before the request goes further.
/// </summary>
[JsonConverter(typeof(MessageContentConverter))]
public sealed record MessageContent(string Text, bool IsParts, IReadOnlyList<MessagePart>? MediaParts = null);
