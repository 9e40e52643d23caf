using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>Serilog's JSON console format: one request line with model and tokens, and never the prompt or the answer.</summary>
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task JsonLogsRecordTheRequestWithoutPromptOrCompletionText()
    {
        await using var server = await ServerProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        const string secret = "zebra-violet-42";
        var (response, _) = await client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = secret } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (bad, _) = await client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = secret } }, temperature = 9 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);

        var ok = await server.WaitForLogAsync(e => e.TryGetProperty("StatusCode", out var s) && s.GetInt32() == 200 && Path(e) == "/chat/completions", TimeSpan.FromSeconds(30));
        Assert.Equal("deepseek-chat", ok.GetProperty("Model").GetString());
        Assert.True(ok.GetProperty("CompletionTokens").GetInt32() > 0);
        Assert.True(ok.TryGetProperty("RequestId", out _));
        await server.WaitForLogAsync(e => e.TryGetProperty("StatusCode", out var s) && s.GetInt32() == 422, TimeSpan.FromSeconds(30));

        var all = string.Join('\n', server.Output);
        Assert.DoesNotContain(secret, all);
        Assert.DoesNotContain("InferenceServer demo model: its replies", all);
    }

    private static string? Path(System.Text.Json.JsonElement e) => e.TryGetProperty("RequestPath", out var p) ? p.GetString() : null;
}
