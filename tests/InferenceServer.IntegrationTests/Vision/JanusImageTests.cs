using System.ClientModel;
using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Janus;
using OpenAI;
using OpenAI.Images;
using SkiaSharp;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>
/// A Janus-Pro folder with its generation graphs draws on <c>/v1/images/generations</c> under the chat model's name,
/// over HTTP and through the OpenAI SDK: 384 × 384 pictures of 576 drawn tokens, the same bytes for a seed, and a 422
/// (DeepSeek's status for an invalid parameter) naming the field for what an autoregressive model cannot do.
/// </summary>
public sealed class JanusImageTests : IAsyncLifetime
{
    private const string Model = "janus-pro-forge";

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Models:0:Id"] = Model,
        ["Models:0:Path"] = JanusModels.EnsureScripted(TestServer.ModelCache),
        ["Models:0:Thinking"] = "disabled",
        ["Models:0:MaxConcurrentSequences"] = "2",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ASeedDrawsTheSameBytesAndEachOfNIsItsOwnPicture()
    {
        var first = await DrawAsync(new { model = Model, prompt = "a fox (forever)", seed = 41, n = 2 });
        var again = await DrawAsync(new { model = Model, prompt = "a fox (forever)", seed = 41, n = 2 });
        var next = await DrawAsync(new { model = Model, prompt = "a fox (forever)", seed = 42 });

        Assert.Equal(first, again);
        Assert.Equal(2, first.Count);
        Assert.NotEqual(first[0], first[1]);
        // Image k of n is seed + k's picture.
        Assert.Equal(first[1], next[0]);
        var (_, usage) = await _server.Client.PostJsonAsync("v1/images/generations", new { model = Model, prompt = "a fox (forever)", seed = 41, n = 2 });
        Assert.Equal(2 * JanusSpec.ImageTokens, usage.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        foreach (var png in first)
        {
            using var bitmap = TestImages.Decode(png, out var format);
            Assert.Equal(SKEncodedImageFormat.Png, format);
            Assert.Equal((JanusSpec.ImageSize, JanusSpec.ImageSize), (bitmap.Width, bitmap.Height));
        }
    }

    [Fact]
    public async Task TheOpenAiSdkImageClientDrawsThroughTheChatModel()
    {
        var client = new ImageClient(Model, new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1") });
        GeneratedImage image = await client.GenerateImageAsync("a lighthouse", new ImageGenerationOptions
        {
            Size = new GeneratedImageSize(384, 384),
            ResponseFormat = GeneratedImageFormat.Bytes,
        });

        using var bitmap = TestImages.Decode(image.ImageBytes.ToArray(), out _);
        Assert.Equal(384, bitmap.Width);
    }

    [Theory]
    [InlineData("size", "512x512", "'size' '512x512' is not supported by 'janus-pro-forge'; use one of: auto, 384x384.")]
    [InlineData("steps", 20, "'steps' does not apply to 'janus-pro-forge'")]
    [InlineData("scheduler", "ddim", "'scheduler' does not apply to 'janus-pro-forge'")]
    [InlineData("negative_prompt", "blurry", "'negative_prompt' is not supported by 'janus-pro-forge'")]
    public async Task WhatAnAutoregressiveModelCannotDoIsA422NamingTheField(string field, object value, string message)
    {
        var body = new Dictionary<string, object> { ["model"] = Model, ["prompt"] = "a fox", [field] = value };
        var (response, error) = await _server.Client.PostJsonAsync("v1/images/generations", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(field, error.GetProperty("error").GetProperty("param").GetString());
        Assert.StartsWith(message, error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditIsA400SayingItDrawsFromTextOnly()
    {
        using var form = new MultipartFormDataContent { { new StringContent(Model), "model" }, { new StringContent("a fox"), "prompt" } };
        var image = new ByteArrayContent(TestImages.Solid(384, 384, SKColors.Red));
        image.Headers.ContentType = new("image/png");
        form.Add(image, "image", "in.png");
        var response = await _server.Client.PostAsync("v1/images/edits", form);
        var error = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("image", error.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("draws from text only", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsListsOneCardThatWritesTextAndImages()
    {
        var body = await (await _server.Client.GetAsync("v1/models")).ReadJsonAsync();
        var cards = body.GetProperty("data").EnumerateArray().Where(m => m.GetProperty("id").GetString() == Model).ToList();
        var card = Assert.Single(cards);
        Assert.Equal(["text", "image"], card.GetProperty("output_modalities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["384x384"], card.GetProperty("sizes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ChatStillAnswersWhileTheModelDraws()
    {
        var drawing = DrawAsync(new { model = Model, prompt = "a fox", seed = 3, n = 4 });
        var (response, body) = await _server.Client.PostJsonAsync("v1/chat/completions", new
        {
            model = Model,
            messages = new[] { new { role = "user", content = "Hello" } },
            max_tokens = 12,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Hello! This is", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, (await drawing).Count);
    }

    private async Task<List<byte[]>> DrawAsync(object request)
    {
        var (response, body) = await _server.Client.PostJsonAsync("v1/images/generations", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("384x384", body.GetProperty("size").GetString());
        return [.. body.GetProperty("data").EnumerateArray().Select(d => Convert.FromBase64String(d.GetProperty("b64_json").GetString()!))];
    }
}
