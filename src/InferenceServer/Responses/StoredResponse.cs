using InferenceServer.Contracts;
using InferenceServer.Contracts.Responses;
using InferenceServer.Vision;

namespace InferenceServer.Responses;

/// <summary>
/// A kept response, the API key that made it, its conversation (input and output) for <c>previous_response_id</c>,
/// and the pictures of that conversation in order (one per image marker of its text, a video's frames together).
/// </summary>
public sealed record StoredResponse(string Owner, ResponseObject Response, IReadOnlyList<ChatMessageDto> Conversation, DateTimeOffset Expires)
{
    public IReadOnlyList<DecodedImage> Images { get; init; } = [];

    /// <summary>Bytes the pictures hold decoded.</summary>
    public long ImageBytes => Images.Sum(i => (long)i.Pixels.Pixels.Length);
}
