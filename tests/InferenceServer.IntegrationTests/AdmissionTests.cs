using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests;

/// <summary>One slot, one queue place: waiting requests get keep-alives, a full queue gets 503 + Retry-After.</summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Models:0:Id"] = "deepseek-chat",
        ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
        ["Models:0:Thinking"] = "disabled",
        ["Models:0:MaxConcurrentSequences"] = "1",
        ["Models:0:MaxQueuedRequests"] = "1",
        ["Server:KeepAliveIntervalSeconds"] = "0.05",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static HttpRequestMessage Chat(string text, bool stream, int maxTokens) => new(HttpMethod.Post, "chat/completions")
    {
        Content = Http.Json(new { model = "deepseek-chat", messages = new[] { new { role = "user", content = text } }, stream, max_tokens = maxTokens }),
    };

    /// <summary>Occupies the only slot with an endless stream until disposed (the client leaves).</summary>
    private async Task<HttpResponseMessage> OccupyAsync(HttpClient client)
    {
        var response = await client.SendAsync(Chat("forever", stream: true, 4000), HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line && !line.Contains("tick", StringComparison.Ordinal))
        {
        }

        return response;
    }

    private HttpClient LeavingClient() => new(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _server.BaseAddress };

    [Fact]
    public async Task AWaitingStreamGetsKeepAliveCommentsThenItsAnswer()
    {
        using var holder = LeavingClient();
        var busy = await OccupyAsync(holder);
        var waiting = await _server.Client.SendAsync(Chat("Hi", stream: true, 100), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
        var reader = new StreamReader(await waiting.Content.ReadAsStreamAsync());
        Assert.Equal(": keep-alive", await reader.ReadLineAsync());

        busy.Dispose();
        var rest = await reader.ReadToEndAsync();
        var chunks = Sse.Json(rest.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]));
        var content = string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(ch => ch.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : string.Empty));
        Assert.Equal(Answer, content);
        Assert.EndsWith("data: [DONE]\n\n", rest);
    }

    [Fact]
    public async Task AWaitingRequestGetsBlankLinesThenItsJson()
    {
        using var holder = LeavingClient();
        var busy = await OccupyAsync(holder);
        var waiting = _server.Client.SendAsync(Chat("Hi", stream: false, 100), HttpCompletionOption.ResponseHeadersRead);
        var response = await waiting;
        var stream = await response.Content.ReadAsStreamAsync();
        var first = new byte[1];
        Assert.Equal(1, await stream.ReadAsync(first));
        Assert.Equal((byte)'\n', first[0]);

        busy.Dispose();
        var body = await new StreamReader(stream).ReadToEndAsync();
        var json = JsonDocument.Parse(body.TrimStart('\n')).RootElement;
        Assert.Equal(Answer, json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task AFullQueueAnswers503WithRetryAfterAndTheServerStaysUp()
    {
        using var holder = LeavingClient();
        var busy = await OccupyAsync(holder);
        var queued = await _server.Client.SendAsync(Chat("Hi", stream: true, 100), HttpCompletionOption.ResponseHeadersRead);
        var queuedReader = new StreamReader(await queued.Content.ReadAsStreamAsync());
        Assert.Equal(": keep-alive", await queuedReader.ReadLineAsync());

        var refused = await _server.Client.SendAsync(Chat("Hi", stream: false, 10));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var error = (await refused.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("server_overloaded", error.GetProperty("type").GetString());
        Assert.StartsWith("Server Overloaded", error.GetProperty("message").GetString());

        busy.Dispose();
        Assert.EndsWith("data: [DONE]\n\n", await queuedReader.ReadToEndAsync());
        var (ok, _) = await _server.Client.PostJsonAsync("chat/completions", new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
