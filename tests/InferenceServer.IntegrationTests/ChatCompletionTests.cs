using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

[Collection(DemoServerCollection.Name)]
public sealed class ChatCompletionTests
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private const string Reasoning = "Scripted reasoning goes first; then comes an answer";
    private readonly HttpClient _client;

    public ChatCompletionTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    private static object Chat(string model, string text, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["model"] = model, ["messages"] = new[] { new { role = "user", content = text } } };
        if (extra is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[p.Name] = p.Value;
            }
        }

        return body;
    }

    [Theory]
    [InlineData("chat/completions")]
    [InlineData("v1/chat/completions")]
    [InlineData("beta/chat/completions")]
    public async Task DeepSeekChatAnswersWithTheScriptAndNoReasoning(string path)
    {
        var (response, body) = await _client.PostJsonAsync(path, Chat("deepseek-chat", "Hi there"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("id").GetString(), out _));
        Assert.Equal("deepseek-chat", body.GetProperty("model").GetString());
        Assert.StartsWith("fp_", body.GetProperty("system_fingerprint").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(Answer, message.GetProperty("content").GetString());
        Assert.False(message.TryGetProperty("reasoning_content", out _));
        var usage = body.GetProperty("usage");
        Assert.Equal(0, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        AssertUsageAddsUp(usage);
    }

    [Fact]
    public async Task DeepSeekReasonerSeparatesReasoningFromTheAnswer()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions", Chat("deepseek-reasoner", "Hi there"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(Reasoning, message.GetProperty("reasoning_content").GetString());
        Assert.Equal(Answer, message.GetProperty("content").GetString());
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32() > 0);
        AssertUsageAddsUp(usage);
    }

    [Theory]
    [InlineData("deepseek-chat", "{\"type\":\"enabled\"}", null, true)]
    [InlineData("deepseek-reasoner", "{\"type\":\"disabled\"}", null, false)]
    [InlineData("deepseek-reasoner", null, "none", false)]
    [InlineData("deepseek-reasoner", null, "high", true)]
    public async Task ThinkingAndReasoningEffortSelectTheModePerRequest(string model, string? thinking, string? effort, bool thinks)
    {
        var body = (Dictionary<string, object?>)Chat(model, "Hi");
        if (thinking is not null)
        {
            body["thinking"] = JsonDocument.Parse(thinking).RootElement;
        }

        if (effort is not null)
        {
            body["reasoning_effort"] = effort;
        }

        var (_, json) = await _client.PostJsonAsync("chat/completions", body);
        var message = json.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(Answer, message.GetProperty("content").GetString());
        Assert.Equal(thinks, message.TryGetProperty("reasoning_content", out _));
    }

    [Fact]
    public async Task MaxTokensCutsTheScriptAndSaysLength()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", Chat("deepseek-chat", "Hi", new { max_tokens = 3 }));
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("Hello! This", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task AStopStringEndsTheAnswerBeforeIt()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", Chat("deepseek-chat", "Hi", new { stop = new[] { "xyz", " demo" } }));
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("Hello! This is the InferenceServer", choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task TheTriggerWordSelectsTheEndlessScriptThroughTheKvCache()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", Chat("deepseek-chat", "forever and ever", new { max_tokens = 7 }));
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("Counting: tick tock tick tock tick", choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task StreamingSendsTheSameTextInDeepSeekChunks()
    {
        var response = await _client.PostAsync("chat/completions", Http.Json(Chat("deepseek-reasoner", "Hi", new { stream = true })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var data = await Sse.ReadDataAsync(response);
        Assert.Equal("[DONE]", data[^1]);
        var chunks = Sse.Json(data);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Single(chunks.Select(c => c.GetProperty("created").GetInt64()).Distinct());
        var first = chunks[0].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", first.GetProperty("role").GetString());

        var reasoning = string.Concat(chunks.Select(c => Delta(c, "reasoning_content")));
        var content = string.Concat(chunks.Select(c => Delta(c, "content")));
        Assert.Equal(Reasoning, reasoning);
        Assert.Equal(Answer, content);
        var lastReasoning = chunks.FindLastIndex(c => Delta(c, "reasoning_content").Length > 0);
        var firstContent = chunks.FindIndex(c => Delta(c, "content").Length > 0);
        Assert.True(lastReasoning < firstContent, "reasoning deltas come before content deltas");

        var final = chunks[^1];
        Assert.Equal("stop", final.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        AssertUsageAddsUp(final.GetProperty("usage"));
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task IncludeUsageAddsATrailingChunkWithEmptyChoices()
    {
        var response = await _client.PostAsync("v1/chat/completions",
            Http.Json(Chat("deepseek-chat", "Hi", new { stream = true, stream_options = new { include_usage = true } })));
        var data = await Sse.ReadDataAsync(response);
        var chunks = Sse.Json(data);
        var trailing = chunks[^1];
        Assert.Equal(0, trailing.GetProperty("choices").GetArrayLength());
        AssertUsageAddsUp(trailing.GetProperty("usage"));
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(Answer, string.Concat(chunks.Select(c => Delta(c, "content"))));
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameSampledTextAndAnotherSeedDiffers()
    {
        async Task<string> Sample(long seed)
        {
            var (_, body) = await _client.PostJsonAsync("chat/completions",
                Chat("forge-random", "Tell me something", new { temperature = 1.5, seed, max_tokens = 24 }));
            return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }

        var a = await Sample(11);
        Assert.Equal(a, await Sample(11));
        Assert.NotEqual(a, await Sample(12));
    }

    private static string Delta(JsonElement chunk, string field)
    {
        var choices = chunk.GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : string.Empty;
    }

    private static void AssertUsageAddsUp(JsonElement usage)
    {
        var prompt = usage.GetProperty("prompt_tokens").GetInt32();
        var completion = usage.GetProperty("completion_tokens").GetInt32();
        Assert.True(prompt > 0 && completion > 0);
        Assert.Equal(prompt + completion, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(prompt, usage.GetProperty("prompt_cache_hit_tokens").GetInt32() + usage.GetProperty("prompt_cache_miss_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_cache_hit_tokens").GetInt32(), usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }
}
