using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>Embedding and image requests show up in /metrics like chat requests do.</summary>
public sealed class WorkloadMetricsTests
{
    [Fact]
    public async Task EmbeddingAndImageRequestsAreCountedAndTimed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>());
        var (embedded, _) = await server.Client.PostJsonAsync("v1/embeddings", new { model = "all-MiniLM-L6-v2", input = new[] { "one", "two", "three" } });
        Assert.Equal(HttpStatusCode.OK, embedded.StatusCode);
        var (imaged, _) = await server.Client.PostJsonAsync("v1/images/generations", new { prompt = "a lighthouse", size = "256x256", n = 2 });
        Assert.Equal(HttpStatusCode.OK, imaged.StatusCode);

        var text = await server.Client.GetStringAsync("metrics");
        Assert.Contains("inferenceserver_workload_items_total{model_name=\"all-MiniLM-L6-v2\",workload=\"embeddings\"} 3", text);
        Assert.Contains("inferenceserver_workload_items_total{model_name=\"forge-diffusion\",workload=\"images\"} 2", text);
        Assert.Contains("inferenceserver_workload_requests_total{model_name=\"all-MiniLM-L6-v2\",workload=\"embeddings\",outcome=\"succeeded\"} 1", text);
        Assert.Contains("inferenceserver_workload_e2e_request_latency_seconds_count{model_name=\"forge-diffusion\",workload=\"images\"} 1", text);
        Assert.Contains("inferenceserver_workload_requests_running{model_name=\"forge-diffusion\",workload=\"images\"} 0", text);
    }
}
