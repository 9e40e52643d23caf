using System.Text.Json;

namespace InferenceServer.Contracts.Json;

/// <summary>
/// A content part that is not text (an image, a file, a video), kept as sent with its index in <c>content</c>: the
/// vision layer reads and checks it, naming <c>messages[i].content[Index]</c> in every error.
/// </summary>
public sealed record MessagePart(int Index, string Type, JsonElement Body);
