using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// A fault in a step's ONNX Runtime run ends the generations it was computing with <c>finish_reason: "aborted"</c>
/// (Anthropic: <c>pause_turn</c>) instead of a 500 or a cut stream, and the model goes on serving. The fault is real:
/// the model folder's tokenizer has a token beyond the decoder's embedding table, so the embedding Gather fails
/// (<see cref="FaultyModel"/>).
/// </summary>
public sealed class AbortedGenerationTests : IAsyncLifetime
{
    private const string Fault = FaultyModel.Fault;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var folder = FaultyModel.Create();
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "faulty",
            ["Models:0:Path"] = folder,
            ["Models:0:Thinking"] = "none",
            ["Models:0:MaxContextLength"] = "256",
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AFailingRunEndsTheAnswerWithAbortedAndTheModelKeepsServing()
    {
        var (response, body) = await _server.Client.PostJsonAsync("chat/completions", ChatBody("faulty", $"Hello {Fault}", new { max_tokens = 8 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("aborted", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(string.Empty, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(0, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        var (next, answer) = await _server.Client.PostJsonAsync("chat/completions", ChatBody("faulty", "Hello", new { max_tokens = 8 }));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(8, answer.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task AStreamEndsWithAnAbortedChunkAndDone()
    {
        var response = await _server.Client.PostAsync("chat/completions", Http.Json(ChatBody("faulty", $"Hello {Fault}", new { stream = true, max_tokens = 8 })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = await Sse.ReadDataAsync(response);
        Assert.Equal("[DONE]", data[^1]);
        var final = Sse.Json(data)[^1];
        Assert.Equal("aborted", final.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task TheAnthropicRouteSaysPauseTurn()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "anthropic/v1/messages")
        {
            Content = Http.Json(new { model = "faulty", max_tokens = 8, messages = new[] { new { role = "user", content = $"Hello {Fault}" } } }),
        };
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("pause_turn", body.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task TheResponsesApiSaysFailedWithTheErrorAndStreamsResponseFailedLast()
    {
        var (response, body) = await _server.Client.PostJsonAsync("v1/responses", new { model = "faulty", input = $"Hello {Fault}", max_output_tokens = 8 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal("server_error", body.GetProperty("error").GetProperty("code").GetString());

        var streamed = await _server.Client.PostAsync("v1/responses", Http.Json(new { model = "faulty", input = $"Hello {Fault}", max_output_tokens = 8, stream = true }));
        var events = (await streamed.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).ToList();
        Assert.Equal("event: response.failed", events[^1]);
        Assert.DoesNotContain("event: response.completed", events);
    }
}
