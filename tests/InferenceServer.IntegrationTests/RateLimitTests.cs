using System.Net;
using System.Net.Http.Headers;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>Per-key request and concurrency limits: 429 with Retry-After and the envelope, other keys unaffected.</summary>
public sealed class RateLimitTests
{
    private const string KeyA = "sk-rate-a";
    private const string KeyB = "sk-rate-b";

    private static HttpRequestMessage Get(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static HttpRequestMessage Chat(string key, string content, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = stream
                ? Http.Json(new { model = "deepseek-chat", stream, messages = new[] { new { role = "user", content } } })
                : Http.Json(new { model = "deepseek-chat", max_tokens = 1, messages = new[] { new { role = "user", content } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    [Fact]
    public async Task AKeyOverItsRequestsPerWindowGets429WithRetryAfterWhileAnotherKeyIsServed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0"] = KeyA,
            ["Auth:Keys:1"] = KeyB,
            ["RateLimits:RequestsPerWindow"] = "2",
            ["RateLimits:Window"] = "01:00:00",
        });
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(Get("models", KeyA))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(Get("models", KeyA))).StatusCode);

        var limited = await server.Client.SendAsync(Get("models", KeyA));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var error = (await limited.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(Get("models", KeyB))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("health/ready")).StatusCode);
    }

    [Fact]
    public async Task AKeyAtItsConcurrencyLimitGets429UntilItsStreamEnds()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0"] = KeyA,
            ["Auth:Keys:1"] = KeyB,
            ["RateLimits:ConcurrentRequests"] = "1",
        });
        using var streaming = new HttpClient { BaseAddress = server.BaseAddress };
        var stream = await streaming.SendAsync(Chat(KeyA, "forever", stream: true), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());

        var second = await server.Client.SendAsync(Chat(KeyA, "Hi", stream: false));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal("rate_limit_error", (await second.ReadJsonAsync()).GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(Chat(KeyB, "Hi", stream: false))).StatusCode);

        reader.Dispose();
        stream.Dispose();
    }
}
