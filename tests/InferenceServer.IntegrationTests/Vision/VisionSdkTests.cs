using System.ClientModel;
using System.Text;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Chat;
using SkiaSharp;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>The official OpenAI .NET SDK's image content parts against the demo's vision model: it names each picture's colour.</summary>
public sealed class VisionSdkTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private ChatClient _chat = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(new Dictionary<string, string?>());
        _chat = new ChatClient(ImageRequests.VisionModel, new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1") });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static UserChatMessage Ask(byte[] picture, ChatImageDetailLevel? detail = null) =>
        new(ChatMessageContentPart.CreateTextPart("What colour is this?"), ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(picture), "image/png", detail));

    [Fact]
    public async Task AnImagePartGetsTheColourOfThePicture()
    {
        ChatCompletion red = await _chat.CompleteChatAsync(Ask(TestImages.Solid(64, 48, SKColors.Red)));
        ChatCompletion green = await _chat.CompleteChatAsync(Ask(TestImages.Solid(48, 64, new SKColor(0xFF20B040)), ChatImageDetailLevel.Low));

        Assert.Equal("The image is red.", red.Content[0].Text);
        Assert.Equal("The image is green.", green.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, red.FinishReason);
        Assert.True(red.Usage.InputTokenCount > 1000, $"{red.Usage.InputTokenCount} input tokens");
    }

    [Fact]
    public async Task AStreamedAnswerNamesThePictureToo()
    {
        var text = new StringBuilder();
        await foreach (var update in _chat.CompleteChatStreamingAsync(Ask(TestImages.Solid(40, 90, new SKColor(0xFF3040E0)))))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("The image is blue.", text.ToString());
    }
}
