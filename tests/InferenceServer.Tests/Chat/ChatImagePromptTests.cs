using InferenceServer.Chat;
using InferenceServer.Contracts.Json;
using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Chat;

/// <summary>Where a vision model's prompt puts each image: its placeholder where its part stood, numbered in request order.</summary>
public sealed class ChatImagePromptTests
{
    private const string M = MessageContent.ImageMarker;

    [Fact]
    public void EachImageBecomesItsPlaceholderWhereItsPartStood()
    {
        var messages = ChatImagePrompt.Number(
        [
            new ChatMessage("user", $"Compare {M}"),
            new ChatMessage("assistant", "Sure."),
            new ChatMessage("user", $"{M}with{M}"),
        ], images: 3);

        Assert.Equal(["Compare <|image_1|>\n", "Sure.", "<|image_2|>\nwith<|image_3|>\n"], messages.Select(m => m.Content));
    }

    [Fact]
    public void MarkersOfPicturesNotSentAgainAreDropped()
    {
        // A stored Responses turn replayed by previous_response_id: its picture is not part of this request.
        var messages = ChatImagePrompt.Number([new ChatMessage("user", $"{M}What is this?"), new ChatMessage("user", $"And {M}?")], images: 1);

        Assert.Equal(["What is this?", "And <|image_1|>\n?"], messages.Select(m => m.Content));
    }

    [Fact]
    public void AVideosFramesEachGetAPlaceholderWhereItsPartStood()
    {
        // A video of two frames, then a picture: the frames are images 1 and 2, the picture image 3.
        var messages = ChatImagePrompt.Number([new ChatMessage("user", $"What happens in {M}? And in {M}?")], perPart: [2, 1]);

        Assert.Equal(["What happens in <|image_1|>\n<|image_2|>\n? And in <|image_3|>\n?"], messages.Select(m => m.Content));
    }
}
