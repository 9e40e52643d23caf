using System.ClientModel;
using InferenceServer.IntegrationTests.Fuzz;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>The official OpenAI .NET SDK's image content parts: what it sends is read, and refused with the same envelopes as raw HTTP.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class ImageSdkTests
{
    private readonly ChatClient _chat;

    public ImageSdkTests(DemoServerFixture fixture) =>
        _chat = new ChatClient("deepseek-chat", new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.BaseAddress, "v1") });

    private static UserChatMessage Ask(ChatMessageContentPart image) =>
        new(ChatMessageContentPart.CreateTextPart("What is this?"), image);

    [Fact]
    public async Task AValidImagePartIsReadThenRefusedByATextOnlyModel()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => _chat.CompleteChatAsync(
            Ask(ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(ImageRequests.Png), "image/png", ChatImageDetailLevel.Low))));
        Assert.Equal(400, e.Status);
        Assert.Contains("Invalid value for 'messages[0].content[1]': content parts of type 'image_url' are not supported by model 'deepseek-chat', which reads text only", e.Message);
    }

    [Fact]
    public async Task ATruncatedImagePartGetsItsOwnErrorNamingTheUrl()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => _chat.CompleteChatAsync(
            Ask(ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(HostileImages.TruncatedPng), "image/png"))));
        Assert.Equal(400, e.Status);
        Assert.Contains("Invalid image in 'messages[0].content[1].image_url.url': the image/png image is truncated.", e.Message);
    }

    [Fact]
    public async Task AnUnknownDetailLevelIs422NamingTheDetail()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => _chat.CompleteChatAsync(
            Ask(ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(ImageRequests.Png), "image/png", new ChatImageDetailLevel("ultra")))));
        Assert.Equal(422, e.Status);
        Assert.Contains("Invalid value for 'messages[0].content[1].image_url.detail'", e.Message);
    }

    [Fact]
    public async Task AnImageUrlOutsideTheAllowListIsRefusedNamingTheUrl()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => _chat.CompleteChatAsync(
            Ask(ChatMessageContentPart.CreateImagePart(new Uri("https://images.example.com/cat.png")))));
        Assert.Equal(400, e.Status);
        Assert.Contains("Invalid image in 'messages[0].content[1].image_url.url': The server does not fetch from 'images.example.com'", e.Message);
    }
}
