using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>SIGTERM on a real server process: readiness 503, new work refused, running streams closed cleanly, exit code 0.</summary>
public sealed class ShutdownTests
{
    private static readonly object Forever = new
    {
        model = "deepseek-chat",
        stream = true,
        messages = new[] { new { role = "user", content = "forever" } },
    };

    [Fact]
    public async Task WhileDrainingReadinessIs503AndNewRequestsAreRefusedAndTheProcessExitsZeroOnceTheStreamEnds()
    {
        await using var server = await ServerProcess.StartAsync("--Shutdown:DrainTimeout=00:02:00");
        using var streaming = new HttpClient { BaseAddress = server.BaseAddress };
        using var other = new HttpClient { BaseAddress = server.BaseAddress };
        var (response, reader) = await StartStreamAsync(streaming);

        await server.TerminateAsync();
        await server.WaitForLogAsync(e => EventId(e) == 300, TimeSpan.FromSeconds(30));

        var ready = await other.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var live = await other.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var (refused, body) = await other.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("server_shutting_down", body.GetProperty("error").GetProperty("code").GetString());

        // The running stream is still served during the drain; the client leaving ends it, and with it the drain.
        Assert.StartsWith("data: ", await NextEventAsync(reader));
        reader.Dispose();
        response.Dispose();
        await server.WaitForLogAsync(e => EventId(e) == 302, TimeSpan.FromSeconds(60));
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task AtTheDrainDeadlineARunningStreamEndsWithAFinalChunkAndDoneAndTheProcessExitsZero()
    {
        await using var server = await ServerProcess.StartAsync("--Shutdown:DrainTimeout=00:00:00");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var (response, reader) = await StartStreamAsync(client);

        await server.TerminateAsync();
        var events = new List<string>();
        while (await NextEventAsync(reader) is { } e)
        {
            events.Add(e["data: ".Length..]);
        }

        Assert.Equal("[DONE]", events[^1]);
        var final = JsonDocument.Parse(events[^2]).RootElement;
        Assert.Equal("insufficient_system_resource", final.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.True(final.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        reader.Dispose();
        response.Dispose();
    }

    private static async Task<(HttpResponseMessage Response, StreamReader Reader)> StartStreamAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = Http.Json(Forever) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // Read until the endless part has begun, so the generation is surely running when the signal comes.
        while (await NextEventAsync(reader) is { } e && !e.Contains(" tick", StringComparison.Ordinal))
        {
        }

        return (response, reader);
    }

    /// <summary>The next <c>data:</c> line, or null at the end of the stream.</summary>
    private static async Task<string?> NextEventAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        return null;
    }

    private static int EventId(JsonElement e) =>
        e.TryGetProperty("EventId", out var id) && id.TryGetProperty("Id", out var n) ? n.GetInt32() : -1;
}
