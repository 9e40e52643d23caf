using System.Net;
using InferenceServer.IntegrationTests.Fuzz;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Vision.ImageRequests;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>
/// Image parts on chat, the Anthropic route and Responses: every hostile or malformed image gets its own envelope naming
/// the part's field, the same on all three; a valid image of each format is read, then gets the text-only refusal.
/// </summary>
public sealed class ImageInputTests : IAsyncLifetime
{
    private readonly string _files = Directory.CreateTempSubdirectory("vision-files-").FullName;
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Files:Directory"] = _files,
        ["Vision:MaxImagesPerRequest"] = "3",
        ["RemoteFetch:AllowedHosts:0"] = "127.0.0.1",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }

    public static TheoryData<string, Route> HostileCases()
    {
        var data = new TheoryData<string, Route>();
        foreach (var name in Hostile.Keys)
        {
            foreach (var route in Enum.GetValues<Route>())
            {
                if (!(name == "bad detail" && route == Route.Anthropic))
                {
                    data.Add(name, route);
                }
            }
        }

        return data;
    }

    private static readonly Dictionary<string, (Source Source, HttpStatusCode Status, string Code, string Fragment)> Hostile = new()
    {
        ["bomb header"] = (new(HostileImages.HugeDimensionsPng), HttpStatusCode.BadRequest, "invalid_image", "100000x100000; an image may have at most"),
        ["truncated png"] = (new(HostileImages.TruncatedPng), HttpStatusCode.BadRequest, "invalid_image", "the image/png image is truncated"),
        ["text claiming png"] = (new("just some text, not a picture"u8.ToArray()), HttpStatusCode.BadRequest, "invalid_image", "not a JPEG, PNG, GIF or WebP image"),
        ["svg"] = (new(HostileImages.Svg), HttpStatusCode.BadRequest, "invalid_image", "not a JPEG, PNG, GIF or WebP image"),
        ["bad detail"] = (new(Png, Detail: "ultra"), HttpStatusCode.UnprocessableEntity, "invalid_parameter", "expected one of 'low', 'high', 'original' or 'auto'"),
        ["url over 8192"] = (new(Url: "https://images.example.com/" + new string('a', 8200)), HttpStatusCode.UnprocessableEntity, "invalid_parameter", "at most 8192 are accepted"),
        ["private address"] = (new(Url: "http://127.0.0.1:9/cat.png"), HttpStatusCode.BadRequest, "remote_fetch_refused", "a private, loopback or link-local address"),
        ["not allow-listed"] = (new(Url: "https://images.example.com/cat.png"), HttpStatusCode.BadRequest, "remote_fetch_refused", "it is not on RemoteFetch:AllowedHosts"),
        ["unknown file id"] = (new(FileId: "file-api-ffffffffffffffffffffffffffffffff"), HttpStatusCode.NotFound, "file_not_found", "No such file: 'file-api-ffffffffffffffffffffffffffffffff'"),
    };

    [Theory]
    [MemberData(nameof(HostileCases))]
    public async Task AHostileImageGetsItsOwnEnvelopeNamingThePart(string name, Route route)
    {
        var (source, status, code, fragment) = Hostile[name];
        var (actual, message, param, actualCode) = await PostAsync(_server.Client, route, source);

        Assert.Equal(status, actual);
        Assert.Contains(fragment, message);
        var field = name == "bad detail" ? Part(route) + (route == Route.Chat ? ".image_url.detail" : ".detail") : Field(route, source);
        if (route == Route.Anthropic)
        {
            Assert.Equal(status == HttpStatusCode.NotFound ? "not_found_error" : "invalid_request_error", actualCode);
            Assert.Contains(name == "unknown file id" ? "No such file" : $"'{field}'", message);
        }
        else
        {
            Assert.Equal(field, param);
            Assert.Equal(code, actualCode);
        }
    }

    [Theory]
    [InlineData(Route.Chat)]
    [InlineData(Route.Anthropic)]
    [InlineData(Route.Responses)]
    public async Task MoreImagesThanTheBoundIs422NamingTheFirstExtraPart(Route route)
    {
        var (status, message, param, _) = await PostAsync(_server.Client, route, new Source(Png), new Source(Jpeg), new Source(Gif), new Source(WebP));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("the request has 4 images; at most 3 are accepted per request (Vision:MaxImagesPerRequest)", message);
        Assert.Contains($"'{Part(route, 4)}'", message);
        Assert.Equal(route == Route.Anthropic ? null : Part(route, 4), param);
    }

    public static TheoryData<string, Route> ValidCases()
    {
        var data = new TheoryData<string, Route>();
        foreach (var format in (string[])["png", "jpeg", "gif", "webp"])
        {
            foreach (var route in Enum.GetValues<Route>())
            {
                data.Add(format, route);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public async Task AValidImageIsReadThenGetsTheTextOnlyRefusalNamingThePart(string format, Route route)
    {
        var bytes = format switch { "png" => Png, "jpeg" => Jpeg, "gif" => Gif, _ => WebP };
        var (status, message, param, code) = await PostAsync(_server.Client, route, new Source(bytes, Detail: "low"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", code);
        var kind = route switch { Route.Chat => "image_url", Route.Anthropic => "image", _ => "input_image" };
        var model = route == Route.Anthropic ? "deepseek-v4-flash" : "deepseek-chat"; // claude-sonnet-* maps onto deepseek-v4-flash
        Assert.Equal(
            $"Invalid value for '{Part(route)}': content parts of type '{kind}' are not supported by model '{model}', which reads text only; " +
            "send text parts, or send the image to a model whose input_modalities (GET /models) include \"image\".",
            message);
        Assert.Equal(route == Route.Anthropic ? null : Part(route), param);
    }

    [Fact]
    public async Task AChatBodyOfTwentyMegabytesIsReadUnderTheFortyEightMegabyteLimit()
    {
        // Over the old 16 MB limit: the body is read and the image judged (not an image), not refused as too large.
        var (status, message, param, code) = await PostAsync(_server.Client, Route.Chat, new Source(new byte[20 * 1024 * 1024]));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("invalid_image", "messages[0].content[1].image_url.url"), (code, param));
        Assert.Contains("not a JPEG, PNG, GIF or WebP image", message);
    }

    [Fact]
    public async Task TheDeclaredTypeOfADataUrlIsNotTrusted()
    {
        // A JPEG declared as PNG is read as the JPEG it is; a text file declared as PNG is refused as not an image.
        var jpeg = new { model = "deepseek-chat", messages = new[] { new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = DataUrl(Jpeg, "image/png") } } } } } };
        var (jpegResponse, jpegBody) = await _server.Client.PostJsonAsync("v1/chat/completions", jpeg);
        Assert.Equal(HttpStatusCode.BadRequest, jpegResponse.StatusCode);
        Assert.Contains("which reads text only", jpegBody.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("messages[0].content[0]", jpegBody.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task AnUploadedImageNamedByIdIsReadThroughTheFilesStoreOnEveryRoute()
    {
        var png = (await _server.Client.UploadPngAsync(Png)).Body.GetProperty("id").GetString()!;
        foreach (var route in Enum.GetValues<Route>())
        {
            var (status, message, _, _) = await PostAsync(_server.Client, route, new Source(FileId: png));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains($"Invalid value for '{Part(route)}'", message);
            Assert.Contains("which reads text only", message);
        }
    }
}
