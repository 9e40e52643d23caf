using System.ClientModel;
using System.Net;
using System.Text.Json;
using InferenceServer.Images;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Images;
using SkiaSharp;

namespace InferenceServer.IntegrationTests;

/// <summary><c>POST /v1/images/generations</c> on the forge diffusion pipeline, over HTTP.</summary>
[Collection(ImageServerCollection.Name)]
public sealed class ImageGenerationTests
{
    private readonly ImageServerFixture _fixture;
    private readonly HttpClient _client;

    public ImageGenerationTests(ImageServerFixture fixture)
    {
        _fixture = fixture;
        _client = fixture.Server.Client;
    }

    [Theory]
    [InlineData("png", 256, 256, SKEncodedImageFormat.Png)]
    [InlineData("jpeg", 128, 128, SKEncodedImageFormat.Jpeg)]
    [InlineData("webp", 512, 512, SKEncodedImageFormat.Webp)]
    public async Task ReturnsDecodableImagesOfTheRequestedFormatAndSize(string format, int width, int height, SKEncodedImageFormat expected)
    {
        var (response, body) = await _client.PostJsonAsync("v1/images/generations", new
        {
            model = ImageServerFixture.Model,
            prompt = "a lighthouse at night",
            size = $"{width}x{height}",
            output_format = format,
            output_compression = 80,
            response_format = "b64_json",
            steps = 2,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var bitmap = TestImages.Decode(Convert.FromBase64String(body.GetProperty("data")[0].GetProperty("b64_json").GetString()!), out var actual);
        Assert.Equal(expected, actual);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        Assert.Equal(format, body.GetProperty("output_format").GetString());
        Assert.Equal($"{width}x{height}", body.GetProperty("size").GetString());
        Assert.True(body.GetProperty("usage").GetProperty("input_tokens").GetInt32() > 2);
        Assert.Equal("a lighthouse at night", body.GetProperty("data")[0].GetProperty("revised_prompt").GetString());
    }

    [Fact]
    public async Task NThreeGivesThreeDifferentImagesAndTheSameSeedGivesTheSameBytes()
    {
        var request = new { prompt = "a red cat", n = 3, size = "128x128", seed = 42, negative_prompt = "blurry", guidance_scale = 4.0, scheduler = "euler_a" };
        var (_, first) = await _client.PostJsonAsync("images/generations", request);
        var (_, second) = await _client.PostJsonAsync("v1/images/generations", request);

        var images = Images(first);
        Assert.Equal(3, images.Count);
        Assert.Equal(3, images.Distinct().Count());
        Assert.Equal(images, Images(second));

        var (_, otherSeed) = await _client.PostJsonAsync("v1/images/generations", new { prompt = "a red cat", size = "128x128", seed = 100, negative_prompt = "blurry", guidance_scale = 4.0, scheduler = "euler_a" });
        Assert.DoesNotContain(Images(otherSeed)[0], images);
    }

    [Theory]
    [InlineData("euler")]
    [InlineData("ddim")]
    [InlineData("lcm")]
    public async Task EverySchedulerServesAnImage(string scheduler)
    {
        var (response, body) = await _client.PostJsonAsync("v1/images/generations", new { prompt = "a dog", size = "64x64", scheduler, steps = 3 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Images(body));
    }

    [Fact]
    public async Task AFullServerAnswers503WithRetryAfterAndThenServesAgain()
    {
        var admission = _fixture.Server.Service<ImageAdmission>();
        var leases = new List<IDisposable>();
        for (int i = 0; i < admission.MaxConcurrent; i++)
        {
            leases.Add(await admission.EnterAsync(CancellationToken.None));
        }

        var (busy, body) = await _client.PostJsonAsync("v1/images/generations", new { prompt = "a cat", size = "64x64" });
        leases.ForEach(l => l.Dispose());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.NotNull(busy.Headers.RetryAfter);
        Assert.Equal("server_overloaded", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("server_overloaded", body.GetProperty("error").GetProperty("code").GetString());
        var (ok, _) = await _client.PostJsonAsync("v1/images/generations", new { prompt = "a cat", size = "64x64" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task TheOpenAiSdkImageClientGeneratesAnImage()
    {
        var client = new ImageClient(ImageServerFixture.Model, new ApiKeyCredential("sk-local"),
            new OpenAIClientOptions { Endpoint = new Uri(_fixture.Server.BaseAddress, "v1") });
        GeneratedImage image = await client.GenerateImageAsync("an astronaut riding a horse on mars", new ImageGenerationOptions
        {
            Size = new GeneratedImageSize(256, 256),
            ResponseFormat = GeneratedImageFormat.Bytes,
        });

        using var bitmap = TestImages.Decode(image.ImageBytes.ToArray(), out var format);
        Assert.Equal(SKEncodedImageFormat.Png, format);
        Assert.Equal(256, bitmap.Width);
    }

    private static List<string> Images(JsonElement body) =>
        [.. body.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("b64_json").GetString()!)];
}
