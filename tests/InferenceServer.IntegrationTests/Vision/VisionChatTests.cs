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
}
