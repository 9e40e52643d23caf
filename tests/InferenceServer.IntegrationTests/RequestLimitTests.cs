using System.Net;
using System.Text;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>Body limits per route: over-limit bodies get 413 with the error envelope, declared or streamed.</summary>
public sealed class RequestLimitTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Limits:MaxChatBodyBytes"] = "4096" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string ChatBody(int contentChars) =>
        System.Text.Json.JsonSerializer.Serialize(new { model = "deepseek-chat", max_tokens = 1, messages = new[] { new { role = "user", content = new string('a', contentChars) } } });

    [Fact]
    public async Task AChatBodyOverTheLimitWithContentLengthIs413NamingTheKey()
    {
        var response = await _server.Client.PostAsync("chat/completions", Http.Json(ChatBody(10_000)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Contains("Limits:MaxChatBodyBytes", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AChunkedChatBodyThatGrowsPastTheLimitIs413WithTheEnvelope()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(ChatBody(10_000))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("invalid_request_error", (await response.ReadJsonAsync()).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task AChatBodyUnderTheLimitIsServed()
    {
        var response = await _server.Client.PostAsync("chat/completions", Http.Json(ChatBody(100)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
