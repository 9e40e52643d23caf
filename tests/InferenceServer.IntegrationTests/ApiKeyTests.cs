using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>With keys configured every API route needs one (Bearer or x-api-key); health probes do not.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string ConfigKey = "sk-config-3f9a1c";
    private const string FileKey = "sk-file-77b2e0";
    private readonly string _keysFile = Path.Combine(Path.GetTempPath(), "inferenceserver-keys-" + Guid.NewGuid().ToString("N"));
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_keysFile, $"# mounted secret\n\n{FileKey}\n");
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0"] = ConfigKey,
            ["Auth:KeysFile"] = _keysFile,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_keysFile);
    }

    [Fact]
    public async Task WithoutAKeyTheApiAnswers401WithTheEnvelope()
    {
        var response = await _server.Client.GetAsync("models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());

        var (chat, _) = await _server.Client.PostJsonAsync("v1/chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } } });
        Assert.Equal(HttpStatusCode.Unauthorized, chat.StatusCode);

        var (image, _) = await _server.Client.PostJsonAsync("v1/images/generations", new { prompt = "a cat", size = "64x64" });
        Assert.Equal(HttpStatusCode.Unauthorized, image.StatusCode);
        var (embedding, _) = await _server.Client.PostJsonAsync("v1/embeddings", new { input = "a cat" });
        Assert.Equal(HttpStatusCode.Unauthorized, embedding.StatusCode);

        using var keyed = new HttpRequestMessage(HttpMethod.Post, "v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "a cat", size = "64x64", steps = 1 }),
        };
        keyed.Headers.Add("x-api-key", FileKey);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(keyed)).StatusCode);
    }

    [Fact]
    public async Task AWrongKeyIsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ConfigKey + "x");
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid", (await response.ReadJsonAsync()).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task AConfiguredKeyAsBearerAndAFileKeyAsXApiKeyAreAccepted()
    {
        using var bearer = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = Http.Json(new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 1 }),
        };
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ConfigKey);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(bearer)).StatusCode);

        using var header = new HttpRequestMessage(HttpMethod.Get, "models");
        header.Headers.Add("x-api-key", FileKey);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(header)).StatusCode);
    }

    [Fact]
    public async Task TheOfficialSdkSendsItsKeyAsBearer()
    {
        var client = new OpenAI.Chat.ChatClient("deepseek-chat", new System.ClientModel.ApiKeyCredential(ConfigKey),
            new OpenAI.OpenAIClientOptions { Endpoint = _server.BaseAddress });
        var completion = await client.CompleteChatAsync([new OpenAI.Chat.UserChatMessage("Hi")], new OpenAI.Chat.ChatCompletionOptions { MaxOutputTokenCount = 1 });
        Assert.Equal("Hello", completion.Value.Content[0].Text);
    }

    [Theory]
    [InlineData("health/live")]
    [InlineData("health/ready")]
    public async Task HealthProbesNeedNoKey(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync(path)).StatusCode);
    }
}
