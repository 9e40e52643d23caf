using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests;

/// <summary>DeepSeek's context caching on disk, over HTTP: a restarted server reports the earlier prompt's blocks as hits.</summary>
public sealed class PrefixCacheRestartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "inferenceserver-prefix-http-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task TheFirstRequestAfterARestartIsACacheHitWithTheSameAnswer()
    {
        var document = string.Join(' ', Enumerable.Range(0, 14).Select(i => $"fact{i} about the stored document"));
        var body = new { model = "deepseek-chat", messages = new[] { new { role = "system", content = document }, new { role = "user", content = "Summarise." } } };
        var settings = new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "deepseek-chat",
            ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
            ["Models:0:Thinking"] = "disabled",
            ["Models:0:PrefixCacheDirectory"] = _directory,
        };

        string? before;
        await using (var server = await TestServer.StartAsync(settings))
        {
            var (_, first) = await server.Client.PostJsonAsync("chat/completions", body);
            Assert.Equal(0, first.GetProperty("usage").GetProperty("prompt_cache_hit_tokens").GetInt32());
            before = first.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        }

        await using var restarted = await TestServer.StartAsync(settings);
        var (_, second) = await restarted.Client.PostJsonAsync("chat/completions", body);
        var usage = second.GetProperty("usage");
        var prompt = usage.GetProperty("prompt_tokens").GetInt32();
        Assert.True(prompt > 128);
        Assert.Equal((prompt - 1) / 64 * 64, usage.GetProperty("prompt_cache_hit_tokens").GetInt32());
        Assert.Equal((prompt - 1) / 64 * 64, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(before, second.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
