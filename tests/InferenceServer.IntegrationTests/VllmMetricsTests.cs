using System.Diagnostics;
using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>Metrics:VllmNames</c>: the scheduler's series under vLLM's names, types and <c>model_name</c> label, fed by the same
/// observer as ours, read from <c>/metrics</c> as Prometheus parses it.
/// </summary>
public sealed class VllmMetricsTests : IAsyncLifetime
{
    private const string Model = "deepseek-chat";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Models:0:Id"] = Model,
        ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
        ["Models:0:Thinking"] = "disabled",
        ["Models:0:MaxConcurrentSequences"] = "1",
        ["Models:0:MaxQueuedRequests"] = "1",
        ["Server:KeepAliveIntervalSeconds"] = "0.05",
        ["Metrics:VllmNames"] = "true",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly (string Key, string Value) ModelName = ("model_name", Model);

    private async Task<PrometheusText> ScrapeAsync() => PrometheusText.Parse(await _server.Client.GetStringAsync("metrics"));

    /// <summary>Scrapes until the gauges read as expected: the scheduler sets them after each step, not on arrival.</summary>
    private async Task<PrometheusText> ScrapeUntilAsync(double running, double waiting)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var metrics = await ScrapeAsync();
            var (r, w) = (metrics.Value("vllm:num_requests_running", ModelName), metrics.Value("vllm:num_requests_waiting", ModelName));
            if ((r, w) == (running, waiting))
            {
                return metrics;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"running {r}, waiting {w}; expected {running}, {waiting}");
        }
    }

    private static HttpRequestMessage Chat(string text, bool stream, int maxTokens) => new(HttpMethod.Post, "chat/completions")
    {
        Content = Http.Json(new { model = Model, messages = new[] { new { role = "user", content = text } }, stream, max_tokens = maxTokens }),
    };

    [Fact]
    public async Task AHeldRequestIsRunningAndTheOneBehindItWaiting()
    {
        using var holder = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _server.BaseAddress };
        var busy = await holder.SendAsync(Chat("forever", stream: true, 4000), HttpCompletionOption.ResponseHeadersRead);
        var busyReader = new StreamReader(await busy.Content.ReadAsStreamAsync());
        while (await busyReader.ReadLineAsync() is { } line && !line.Contains("tick", StringComparison.Ordinal))
        {
        }

        var waiting = await _server.Client.SendAsync(Chat("Hi", stream: true, 100), HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await waiting.Content.ReadAsStreamAsync());
        Assert.Equal(": keep-alive", await reader.ReadLineAsync());

        var held = await ScrapeUntilAsync(running: 1, waiting: 1);
        Assert.Equal("gauge", held.Types["vllm:num_requests_running"]);
        Assert.Equal("gauge", held.Types["vllm:num_requests_waiting"]);
        Assert.Equal("gauge", held.Types["vllm:kv_cache_usage_perc"]);
        Assert.InRange(held.Value("vllm:kv_cache_usage_perc", ModelName), double.Epsilon, 1);

        busy.Dispose();
        Assert.EndsWith("data: [DONE]\n\n", await reader.ReadToEndAsync());
        var idle = await ScrapeUntilAsync(running: 0, waiting: 0);
        Assert.Equal(0, idle.Value("vllm:kv_cache_usage_perc", ModelName));
        Assert.Equal(1, idle.Value("vllm:request_success_total", ModelName, ("finished_reason", "abort")));
        Assert.Equal(1, idle.Value("vllm:request_success_total", ModelName, ("finished_reason", "stop")));
    }

    [Fact]
    public async Task TokenTotalsAreTheUsageTheClientsWereToldUnderVllmTypes()
    {
        var usages = new List<JsonElement>();
        foreach (var (text, maxTokens) in new[] { ("Hi", 100), ("Tell me about the gateway", 100), ("Hello again", 3) })
        {
            var response = await _server.Client.SendAsync(Chat(text, stream: false, maxTokens));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            usages.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage"));
        }

        var metrics = await ScrapeAsync();
        Assert.Equal(usages.Sum(u => u.GetProperty("prompt_tokens").GetInt32()), metrics.Value("vllm:prompt_tokens_total", ModelName));
        Assert.Equal(usages.Sum(u => u.GetProperty("completion_tokens").GetInt32()), metrics.Value("vllm:generation_tokens_total", ModelName));
        Assert.Equal(2, metrics.Value("vllm:request_success_total", ModelName, ("finished_reason", "stop")));
        Assert.Equal(1, metrics.Value("vllm:request_success_total", ModelName, ("finished_reason", "length")));

        foreach (var histogram in new[] { "vllm:time_to_first_token_seconds", "vllm:e2e_request_latency_seconds", "vllm:request_queue_time_seconds" })
        {
            Assert.Equal("histogram", metrics.Types[histogram]);
            Assert.Equal(3, metrics.Value(histogram + "_count", ModelName));
            Assert.Equal(3, metrics.Value(histogram + "_bucket", ModelName, ("le", "+Inf")));
        }

        // Two names for one series of observations, as vLLM itself exposes them while the old one is deprecated.
        Assert.True(metrics.Value("vllm:inter_token_latency_seconds_count", ModelName) > 0);
        Assert.Equal(metrics.Value("vllm:inter_token_latency_seconds_count", ModelName), metrics.Value("vllm:time_per_output_token_seconds_count", ModelName));

        foreach (var counter in new[] { "prompt_tokens_total", "generation_tokens_total", "prefix_cache_queries_total", "prefix_cache_hits_total" })
        {
            Assert.Equal("counter", metrics.Types["vllm:" + counter]);
            Assert.Equal(metrics.Value("inferenceserver_" + counter, ModelName), metrics.Value("vllm:" + counter, ModelName));
        }

        Assert.Equal(metrics.Value("vllm:prompt_tokens_total", ModelName), metrics.Value("vllm:prefix_cache_queries_total", ModelName));
        Assert.All(metrics.Samples.Where(s => s.Name.StartsWith("vllm:", StringComparison.Ordinal)), s => Assert.Equal(Model, s.Labels["model_name"]));
    }
}
