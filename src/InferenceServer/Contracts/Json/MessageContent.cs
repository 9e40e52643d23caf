using System.Text.Json.Serialization;

namespace InferenceServer.Contracts.Json;

/// <summary>
/// The text of a message's <c>content</c>, whichever shape it came in, and the parts that name an uploaded file
/// (checked against the Files store before the request goes further).
/// </summary>
[JsonConverter(typeof(MessageContentConverter))]
public sealed record MessageContent(string Text, bool IsParts, IReadOnlyList<FilePartReference>? FileParts = null);
