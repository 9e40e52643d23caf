using System.Net;
using InferenceServer.Engine.Models;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using Microsoft.Extensions.Options;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>Models:N:KvCacheMiB</c> over HTTP: a budget smaller than the configured context is the context clients see, and a
/// request past it gets DeepSeek's context-length 400 (the one a prompt past the context gets); a budget that cannot
/// work stops the start with a sentence naming the key.
/// </summary>
public sealed class KvBudgetTests
{
    // The forge models' keys and values take 1 KiB per token: 1 MiB holds 1,024 of them.
    private static Dictionary<string, string?> Settings(string kvMiB) => new()
    {
        ["Models:0:Id"] = "m",
        ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
        ["Models:0:Thinking"] = "disabled",
        ["Models:0:MaxContextLength"] = "4096",
        ["Models:0:KvCacheMiB"] = kvMiB,
    };

    [Fact]
    public async Task ARequestPastWhatTheBudgetHoldsGetsTheContextLengthMessage()
    {
        await using var server = await TestServer.StartAsync(Settings("1"));
        var models = await server.Client.GetJsonAsync("models");
        Assert.Equal(1024, models.GetProperty("data")[0].GetProperty("context_window").GetInt32());

        var (response, body) = await server.Client.PostJsonAsync("chat/completions",
            new { model = "m", messages = new[] { new { role = "user", content = string.Join(' ', Enumerable.Repeat("Hi", 1500)) } }, max_tokens = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("This model's maximum context length is 1024 tokens.", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("messages", body.GetProperty("error").GetProperty("param").GetString());

        var (ok, answer) = await server.Client.PostJsonAsync("chat/completions", new { model = "m", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 20 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
    }

    [Fact]
    public async Task ABudgetLargerThanTheMachineStopsTheStartNamingTheKey()
    {
        var e = await Assert.ThrowsAsync<ModelLoadException>(() => TestServer.StartAsync(Settings("100000000")));
        Assert.Contains("KvCacheMiB 100000000 is more than the", e.Message);
    }

    [Fact]
    public async Task ANegativeBudgetNamesTheKey()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(Settings("-1")));
        Assert.Contains("Models:0:KvCacheMiB must be 0", e.Message);
    }
}
