using System.Text.Json.Serialization;

namespace InferenceServer.Contracts.Json;

/// <summary>The text of a message's <c>content</c>, whichever shape it came in.</summary>
[JsonConverter(typeof(MessageContentConverter))]
public sealed record MessageContent(string Text, bool IsParts);
