using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using SkiaSharp;
using static InferenceServer.IntegrationTests.Vision.ImageRequests;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>
/// The built-in demo's vision model over HTTP: a picture sent as a chat <c>image_url</c> part, an Anthropic <c>image</c>
/// block or a Responses <c>input_image</c> reaches the model, whose scripted answer names the picture's dominant colour.
/// </summary>
public sealed class VisionChatTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<Route, string> RoutesAndColours()
    {
        var data = new TheoryData<Route, string>();
        foreach (var route in Enum.GetValues<Route>())
        {
            foreach (var colour in (string[])["red", "green", "blue"])
            {
                data.Add(route, colour);
            }
        }

        return data;
    }

    private static SKColor Colour(string name) => name switch
    {
        "red" => new SKColor(0xFFD02020),
        "green" => new SKColor(0xFF20B040),
        _ => new SKColor(0xFF3040E0),
    };

    [Theory]
    [MemberData(nameof(RoutesAndColours))]
    public async Task EachRouteGetsTheColourOfItsPicture(Route route, string colour)
    {
        var picture = TestImages.Solid(60, 40, Colour(colour));
        var (status, text, _) = await AskAsync(_server.Client, route, VisionModel, new Source(picture));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"The image is {colour}.", text);
    }

    [Fact]
    public async Task TheDemoJanusModelNamesThePictureToo()
    {
        var (status, text, body) = await AskAsync(_server.Client, Route.Chat, "janus-pro-forge", new Source(TestImages.Solid(60, 40, Colour("green"))));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("The image is green.", text);
        Assert.Equal(576, body.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public async Task ALowDetailJpegIsReadToo()
    {
        var picture = TestImages.Solid(900, 700, Colour("blue"), SKEncodedImageFormat.Jpeg);
        var (status, text, _) = await AskAsync(_server.Client, Route.Chat, VisionModel, new Source(picture, Detail: "low"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("The image is blue.", text);
    }

    [Fact]
    public async Task WithoutAPictureTheVisionModelGivesTheDemoAnswer()
    {
        var (response, body) = await _server.Client.PostJsonAsync("chat/completions", ChatBodies.ChatBody(VisionModel, "Hi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Hello! This is the InferenceServer demo model", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlaceholderTypedInTheTextIs400()
    {
        var (response, body) = await _server.Client.PostJsonAsync("chat/completions", new
        {
            model = VisionModel,
            messages = new[] { new { role = "user", content = (object[])[new { type = "text", text = "<|image_1|> what is this?" }, new { type = "image_url", image_url = new { url = DataUrl(Png) } }] } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("messages", body.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("names <|image_1|> twice", body.GetProperty("error").GetProperty("message").GetString());
    }

    /// <summary>A 60 × 40 picture tiles into 3 × 4 crops: ((3 · 4) + 1) · 144 + 1 + (3 + 1) · 12 image tokens.</summary>
    private const int SixtyByFortyTokens = (((3 * 4) + 1) * 144) + 1 + ((3 + 1) * 12);

    [Fact]
    public async Task ModelsSaysWhichModelReadsImages()
    {
        var body = await (await _server.Client.GetAsync("v1/models")).ReadJsonAsync();
        var models = body.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("input_modalities"));
        Assert.Equal(["text", "image", "video"], models[VisionModel].EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["text"], models["deepseek-chat"].EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task UsageCountsTheImageTokensInThePrompt()
    {
        var picture = new Source(TestImages.Solid(60, 40, Colour("red")));
        var (_, _, chat) = await AskAsync(_server.Client, Route.Chat, VisionModel, picture);
        var usage = chat.GetProperty("usage");
        Assert.Equal(SixtyByFortyTokens, usage.GetProperty("prompt_tokens_details").GetProperty("image_tokens").GetInt32());
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > SixtyByFortyTokens);

        var (_, _, responses) = await AskAsync(_server.Client, Route.Responses, VisionModel, picture);
        Assert.Equal(SixtyByFortyTokens, responses.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());

        var (_, _, anthropic) = await AskAsync(_server.Client, Route.Anthropic, VisionModel, picture);
        Assert.True(anthropic.GetProperty("usage").GetProperty("input_tokens").GetInt32() > SixtyByFortyTokens);

        var (_, text) = await _server.Client.PostJsonAsync("chat/completions", ChatBodies.ChatBody("deepseek-chat", "Hi"));
        Assert.False(text.GetProperty("usage").GetProperty("prompt_tokens_details").TryGetProperty("image_tokens", out _));
    }

    [Fact]
    public async Task TheSameImageAgainHitsThePrefixCacheAndAnotherImageDoesNot()
    {
        var green = new Source(TestImages.Solid(50, 50, Colour("green")));
        var (_, first, cold) = await AskAsync(_server.Client, Route.Chat, VisionModel, green);
        var (_, again, warm) = await AskAsync(_server.Client, Route.Chat, VisionModel, green);
        var (_, other, miss) = await AskAsync(_server.Client, Route.Chat, VisionModel, new Source(TestImages.Solid(50, 50, Colour("blue"))));

        Assert.Equal(0, cold.GetProperty("usage").GetProperty("prompt_cache_hit_tokens").GetInt32());
        Assert.True(warm.GetProperty("usage").GetProperty("prompt_cache_hit_tokens").GetInt32() > 1000);
        Assert.Equal(("The image is green.", "The image is green."), (first, again));
        Assert.Equal(0, miss.GetProperty("usage").GetProperty("prompt_cache_hit_tokens").GetInt32());
        Assert.Equal("The image is blue.", other);
    }

    [Fact]
    public async Task AFollowUpToAStoredResponseWithAPictureIsAnswered()
    {
        var (first, stored) = await _server.Client.PostJsonAsync("v1/responses", new
        {
            model = VisionModel,
            store = true,
            input = new[] { new { role = "user", content = (object[])[new { type = "input_text", text = "What is this?" }, new { type = "input_image", image_url = DataUrl(Png) }] } },
        });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var (next, body) = await _server.Client.PostJsonAsync("v1/responses", new { model = VisionModel, input = "Hi", previous_response_id = stored.GetProperty("id").GetString() });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("completed", body.GetProperty("status").GetString());
    }
}
