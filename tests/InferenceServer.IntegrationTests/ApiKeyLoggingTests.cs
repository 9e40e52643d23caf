using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>The start log says whether the API is open; with keys, requests are logged by key id and the key itself never appears.</summary>
public sealed class ApiKeyLoggingTests
{
    private static int EventId(JsonElement e) =>
        e.TryGetProperty("EventId", out var id) && id.TryGetProperty("Id", out var n) ? n.GetInt32() : -1;

    /// <summary>The access line, written at start before the server listens (so already read).</summary>
    private static JsonElement StartLog(ServerProcess server) =>
        server.Output.Select(l => JsonDocument.Parse(l).RootElement).Single(e => EventId(e) is 200 or 201);

    [Fact]
    public async Task WithNoKeysTheStartLogWarnsThatTheApiIsOpen()
    {
        await using var server = await ServerProcess.StartAsync();
        var open = StartLog(server);
        Assert.Equal(200, EventId(open));
        Assert.Equal("Warning", open.GetProperty("@l").GetString());
    }

    [Fact]
    public async Task WithAKeyTheLogNamesItsIdNeverItsText()
    {
        const string key = "sk-never-logged-5d1e9a";
        await using var server = await ServerProcess.StartAsync($"--Auth:Keys:0={key}");
        var keyed = StartLog(server);
        Assert.Equal(201, EventId(keyed));

        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "models");
        wrong.Headers.Add("x-api-key", key + "-wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);

        var ok = await server.WaitForLogAsync(e => e.TryGetProperty("StatusCode", out var s) && s.GetInt32() == 200, TimeSpan.FromSeconds(30));
        Assert.StartsWith("key-", ok.GetProperty("ApiKey").GetString());
        await server.WaitForLogAsync(e => e.TryGetProperty("StatusCode", out var s) && s.GetInt32() == 401, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(key, string.Join('\n', server.Output));
    }
}
