using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

[Collection(DemoServerCollection.Name)]
public sealed class ServingMetricsTests
{
    private readonly HttpClient _client;

    public ServingMetricsTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task MetricsUseVllmStyleNamesInPrometheusText()
    {
        await _client.PostJsonAsync("chat/completions", new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } } });
        var response = await _client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        foreach (var name in new[]
        {
            "inferenceserver_num_requests_running", "inferenceserver_num_requests_waiting", "inferenceserver_request_queue_time_seconds_bucket",
            "inferenceserver_time_to_first_token_seconds_bucket", "inferenceserver_inter_token_latency_seconds_bucket",
            "inferenceserver_e2e_request_latency_seconds_bucket", "inferenceserver_generation_tokens_total", "inferenceserver_prompt_tokens_total",
            "inferenceserver_prefix_cache_queries_total", "inferenceserver_prefix_cache_hits_total", "inferenceserver_kv_cache_usage_perc",
        })
        {
            Assert.Contains($"\n{name}{{model_name=\"deepseek-reasoner\"", text);
        }

        Assert.Contains("# TYPE inferenceserver_request_rejected_total counter", text);
    }

    [Fact]
    public async Task VllmNamesAreLeftOutUnlessAskedFor()
    {
        await _client.PostJsonAsync("chat/completions", new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } } });
        var metrics = PrometheusText.Parse(await _client.GetStringAsync("metrics"));
        Assert.Equal("gauge", metrics.Types["inferenceserver_num_requests_waiting"]);
        Assert.DoesNotContain(metrics.Types.Keys, name => name.StartsWith("vllm:", StringComparison.Ordinal));
        Assert.DoesNotContain(metrics.Samples, s => s.Name.StartsWith("vllm:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AGreedyLoopIsSpeculatedAndItsDraftsAreCounted()
    {
        static async Task<double> Accepted(HttpClient client)
        {
            var text = await client.GetStringAsync("metrics");
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("inferenceserver_spec_decode_num_accepted_tokens_total{model_name=\"deepseek-reasoner\"}", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }

        var before = await Accepted(_client);
        var (response, body) = await _client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "forever" } }, max_tokens = 40, temperature = 0 });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(40, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Contains(" tick tock tick tock", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.True(await Accepted(_client) - before >= 20);
    }

    [Fact]
    public async Task ARepeatedLongPromptIsACacheHitWithTheSameAnswer()
    {
        var document = string.Join(' ', Enumerable.Range(0, 14).Select(i => $"fact{i} about the shared document"));
        var body = new { model = "deepseek-chat", messages = new[] { new { role = "system", content = document }, new { role = "user", content = "Summarise." } } };
        var (_, first) = await _client.PostJsonAsync("chat/completions", body);
        var (_, second) = await _client.PostJsonAsync("chat/completions", body);
        var usage = second.GetProperty("usage");
        var prompt = usage.GetProperty("prompt_tokens").GetInt32();
        Assert.Equal((prompt - 1) / 64 * 64, usage.GetProperty("prompt_cache_hit_tokens").GetInt32());
        Assert.Equal(prompt - ((prompt - 1) / 64 * 64), usage.GetProperty("prompt_cache_miss_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_cache_hit_tokens").GetInt32(), usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(
            first.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(),
            second.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
