using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using SkiaSharp;
using static InferenceServer.IntegrationTests.Vision.ImageRequests;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>
/// A Responses follow-up (<c>previous_response_id</c>) sees the pictures of the stored turns it continues, as OpenAI's
/// does: usage counts their image tokens again, the prefix cache serves them (the same picture gives the same tokens),
/// and a picture in a later turn joins them. (The demo vision model's script reads only the last user message, so a
/// text-only follow-up gets its text answer.) <c>Responses:MaxStoredImageMiB</c> bounds what is kept.
/// </summary>
public sealed class StoredTurnImageTests : IAsyncLifetime
{
    private static readonly byte[] Red = TestImages.Solid(48, 32, new SKColor(0xFFD02020));
    private static readonly byte[] Blue = TestImages.Solid(32, 48, new SKColor(0xFF3040E0));
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AFollowUpSeesTheStoredTurnsPicturesAndANewOneAfterThem()
    {
        var first = await RespondAsync(_server, Turn("What is this?", Red), previous: null);
        Assert.Equal("The image is red.", Text(first));
        var perImage = ImageTokens(first);
        Assert.True(perImage > 0);

        // No picture in this turn: the stored one is still in the conversation, its tokens served from the prefix cache.
        var second = await RespondAsync(_server, "And what colour was it?", Id(first));
        Assert.Equal(perImage, ImageTokens(second));
        // More than all the first turn's text tokens come from the cache: the hit runs into the picture's tokens.
        var text = first.GetProperty("usage").GetProperty("input_tokens").GetInt32() - perImage;
        Assert.True(CachedTokens(second) > text, $"{CachedTokens(second)} cached tokens, {text} text tokens in the first turn");

        var third = await RespondAsync(_server, Turn("And this one?", Blue), Id(second));
        Assert.Equal("The image is blue.", Text(third));
        Assert.True(ImageTokens(third) > perImage, $"{ImageTokens(third)} image tokens: both pictures are in the context");
        var fourth = await RespondAsync(_server, "Thanks.", Id(third));
        Assert.Equal(ImageTokens(third), ImageTokens(fourth));
    }

    [Fact]
    public async Task AFollowUpOnATextModelLeavesTheStoredPicturesOut()
    {
        var first = await RespondAsync(_server, Turn("What is this?", Red), previous: null);
        var (response, body) = await _server.Client.PostJsonAsync("v1/responses", new { model = "deepseek-chat", input = "Hi", previous_response_id = Id(first) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("completed", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task WithNoRoomForPicturesAFollowUpIsAnsweredWithoutThem()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Responses:MaxStoredImageMiB"] = "0" });
        var first = await RespondAsync(server, Turn("What is this?", Red), previous: null);
        Assert.Equal("The image is red.", Text(first));
        var second = await RespondAsync(server, "And what colour was it?", Id(first));
        Assert.Equal(0, ImageTokens(second));
    }

    private static object[] Turn(string text, byte[] png) =>
        [new { role = "user", content = (object[])[new { type = "input_text", text }, new { type = "input_image", image_url = DataUrl(png) }] }];

    private static async Task<JsonElement> RespondAsync(TestServer server, object input, string? previous)
    {
        var (response, body) = await server.Client.PostJsonAsync("v1/responses", new { model = VisionModel, store = true, input, previous_response_id = previous });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body;
    }

    private static string Id(JsonElement response) => response.GetProperty("id").GetString()!;

    /// <summary>The answer: the text of the response's message item (a reasoning item may come first).</summary>
    private static string Text(JsonElement response) => string.Concat(response.GetProperty("output").EnumerateArray()
        .Where(i => i.GetProperty("type").GetString() == "message")
        .SelectMany(i => i.GetProperty("content").EnumerateArray())
        .Where(c => c.GetProperty("type").GetString() == "output_text")
        .Select(c => c.GetProperty("text").GetString()));

    private static int CachedTokens(JsonElement response) => response.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32();

    private static int ImageTokens(JsonElement response) =>
        response.GetProperty("usage").GetProperty("input_tokens_details").TryGetProperty("image_tokens", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 0;
}
