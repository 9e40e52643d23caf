using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

[Collection(DemoServerCollection.Name)]
public sealed class ModelsTests
{
    private readonly HttpClient _client;

    public ModelsTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Theory]
    [InlineData("models")]
    [InlineData("v1/models")]
    public async Task ListsEveryServedNameWithContextAndCapabilities(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("list", body.GetProperty("object").GetString());
        var models = body.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(["deepseek-chat", "deepseek-reasoner", "forge-diffusion", "forge-random", "forge-video", "forge-video-i2v"], models.Keys.Order());
        var image = models["forge-diffusion"];
        Assert.Equal(["image"], image.GetProperty("output_modalities").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("256x256", image.GetProperty("sizes").EnumerateArray().Select(m => m.GetString()));
        var chat = models["deepseek-chat"];
        Assert.Equal("model", chat.GetProperty("object").GetString());
        Assert.Equal("deepseek-reasoner", chat.GetProperty("root").GetString());
        Assert.Equal(4096, chat.GetProperty("context_window").GetInt32());
        Assert.True(chat.GetProperty("capabilities").GetProperty("thinking").GetBoolean());
        Assert.False(chat.GetProperty("capabilities").GetProperty("thinking_by_default").GetBoolean());
        Assert.True(models["deepseek-reasoner"].GetProperty("capabilities").GetProperty("thinking_by_default").GetBoolean());
        Assert.False(models["forge-random"].GetProperty("capabilities").GetProperty("thinking").GetBoolean());
        Assert.Equal(512, models["forge-random"].GetProperty("context_window").GetInt32());
        Assert.Equal("CPUExecutionProvider", chat.GetProperty("runtime").GetProperty("execution_provider").GetString());
    }

    [Fact]
    public async Task AnUnknownModelIs404WithTheEnvelope()
    {
        var response = await _client.GetAsync("v1/models/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task HealthEndpointsAnswer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("health/ready")).StatusCode);
    }
}
