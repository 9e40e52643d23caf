using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Janus;
using Microsoft.Extensions.Options;
using SkiaSharp;
using static InferenceServer.IntegrationTests.Vision.ImageRequests;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>
/// A Janus-Pro ONNX folder configured as a model (the forge's, in onnx-community's layout) over HTTP: a chat
/// <c>image_url</c> part reaches it, its scripted answer names the picture's colour, and usage counts 576 image tokens.
/// </summary>
public sealed class JanusChatTests : IAsyncLifetime
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

    [Theory]
    [InlineData("red", 0xFFD02020)]
    [InlineData("blue", 0xFF3040E0)]
    public async Task ChatNamesTheColourOfThePicture(string colour, uint argb)
    {
        var (status, text, body) = await AskAsync(_server.Client, Route.Chat, Model, new Source(TestImages.Solid(60, 40, new SKColor(argb))));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"The image is {colour}.", text);
        var usage = body.GetProperty("usage");
        Assert.Equal(JanusSpec.ImageTokens, usage.GetProperty("prompt_tokens_details").GetProperty("image_tokens").GetInt32());
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > JanusSpec.ImageTokens + 2);
    }

    [Fact]
    public async Task ModelsSaysItReadsImages()
    {
        var body = await (await _server.Client.GetAsync("v1/models")).ReadJsonAsync();
        var janus = body.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == Model);
        Assert.Equal(["text", "image"], janus.GetProperty("input_modalities").EnumerateArray().Select(e => e.GetString()).Take(2));
    }

    [Fact]
    public async Task AnOnnxVariantThatIsNotAFileSuffixStopsTheStartNamingTheKey()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Models:0:Id"] = Model,
            ["Models:0:Path"] = JanusModels.EnsureScripted(TestServer.ModelCache),
            ["Models:0:OnnxVariant"] = "../q4",
        }));
        Assert.Contains("Models:0:OnnxVariant '../q4' must be letters and digits only", e.Message);
    }
}
