using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary><c>/beta/completions</c> and <c>/v1/completions</c>: FIM through the model's FIM tokens, raw completion, echo, logprobs, stop, streaming.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class CompletionsTests
{
    private const string Prefix = "def add(a, b):\n    ";
    private const string Suffix = "\n\nprint(add(1, 2))";
    private readonly HttpClient _client;

    public CompletionsTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Theory]
    [InlineData("beta/completions")]
    [InlineData("v1/completions")]
    public async Task FimFillsTheHoleBetweenPromptAndSuffix(string path)
    {
        var (response, body) = await _client.PostJsonAsync(path, new { model = "deepseek-chat", prompt = Prefix, suffix = Suffix, max_tokens = 64 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("return a + b", choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        var usage = body.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(),
            usage.GetProperty("prompt_cache_hit_tokens").GetInt32() + usage.GetProperty("prompt_cache_miss_tokens").GetInt32());
    }

    [Fact]
    public async Task EchoReturnsThePromptBeforeTheCompletion()
    {
        var (_, plain) = await _client.PostJsonAsync("v1/completions", new { model = "deepseek-chat", prompt = "Once upon a time" });
        Assert.Equal(", the end.", plain.GetProperty("choices")[0].GetProperty("text").GetString());
        var (_, echoed) = await _client.PostJsonAsync("v1/completions", new { model = "deepseek-chat", prompt = "Once upon a time", echo = true });
        Assert.Equal("Once upon a time, the end.", echoed.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task LogprobsListEveryTokenWithItsOffsetAndAlternatives()
    {
        var (_, body) = await _client.PostJsonAsync("beta/completions", new { model = "deepseek-chat", prompt = "Once upon a time", echo = true, logprobs = 2 });
        var choice = body.GetProperty("choices")[0];
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(", the end.", string.Concat(tokens));
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToList();
        Assert.Equal("Once upon a time".Length, offsets[0]);
        var text = choice.GetProperty("text").GetString()!;
        for (var i = 0; i < tokens.Count; i++)
        {
            Assert.Equal(tokens[i], text.Substring(offsets[i], tokens[i]!.Length));
            Assert.Equal(2, logprobs.GetProperty("top_logprobs")[i].EnumerateObject().Count());
            Assert.True(logprobs.GetProperty("token_logprobs")[i].GetDouble() <= 0);
        }
    }

    [Fact]
    public async Task AStopStringEndsTheCompletionBeforeIt()
    {
        var (_, body) = await _client.PostJsonAsync("v1/completions", new { model = "deepseek-chat", prompt = "Once upon a time", stop = new[] { " end" } });
        Assert.Equal(", the", body.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task StreamingSendsTextCompletionChunksThenDone()
    {
        var response = await _client.PostAsync("beta/completions", Http.Json(new
        {
            model = "deepseek-chat",
            prompt = Prefix,
            suffix = Suffix,
            stream = true,
            stream_options = new { include_usage = true },
        }));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var data = await Sse.ReadDataAsync(response);
        Assert.Equal("[DONE]", data[^1]);
        var chunks = Sse.Json(data);
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        var withChoices = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0).ToList();
        Assert.Equal("return a + b", string.Concat(withChoices.Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString())));
        Assert.Equal("stop", withChoices[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(4, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("{\"model\":\"deepseek-chat\",\"prompt\":\"x\",\"suffix\":\"y\",\"max_tokens\":5000}", 422, "max_tokens")]
    [InlineData("{\"model\":\"deepseek-chat\",\"prompt\":\"x\",\"logprobs\":21}", 422, "logprobs")]
    [InlineData("{\"model\":\"deepseek-chat\",\"prompt\":\"x\",\"logprobs\":true}", 422, "logprobs")]
    [InlineData("{\"model\":\"deepseek-chat\"}", 422, "prompt")]
    [InlineData("{\"model\":\"deepseek-chat\",\"prompt\":[\"a\",\"b\"]}", 422, "prompt")]
    [InlineData("{\"model\":\"deepseek-chat\",\"prompt\":\"x\",\"suffix\":\"y\",\"echo\":true}", 422, "echo")]
    [InlineData("{\"model\":\"deepseek-chat\",\"prompt\":\"x\",\"stream_options\":{\"include_usage\":true}}", 400, "stream_options")]
    [InlineData("{\"model\":\"deepseek-chat\",\"prompt\":\"x\",\"temperature\":3}", 422, "temperature")]
    [InlineData("{\"model\":\"nope\",\"prompt\":\"x\"}", 400, "model")]
    public async Task BadCompletionRequestsGetTheEnvelope(string body, int status, string param)
    {
        var response = await _client.PostAsync("beta/completions", Http.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }
}
