using System.Globalization;
using System.Net;
using System.Text.Json;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>n</c> on chat: n choices from one prefill, in index order (or streamed interleaved with their index), usage as
/// OpenAI counts it (prompt once, completions summed), seeded choice k = a single request with seed + k, a bound, and a
/// client that leaves cancels every choice. Raw HTTP: the OpenAI .NET SDK 2.15.0 keeps <c>n</c> and <c>choices</c> internal.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class ChatChoicesTests
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private const string Reasoning = "Scripted reasoning goes first; then comes an answer";
    private readonly TestServer _server;
    private readonly HttpClient _client;

    public ChatChoicesTests(DemoServerFixture fixture)
    {
        _server = fixture.Server;
        _client = fixture.Server.Client;
    }

    [Theory]
    [InlineData("chat/completions")]
    [InlineData("v1/chat/completions")]
    [InlineData("beta/chat/completions")]
    public async Task ThreeChoicesEachCarryTheScriptWithUsageCountingThePromptOnce(string path)
    {
        var (_, single) = await _client.PostJsonAsync(path, ChatBody("deepseek-chat", "Hi there"));
        var (response, body) = await _client.PostJsonAsync(path, ChatBody("deepseek-chat", "Hi there", new { n = 3 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal(Answer, c.GetProperty("message").GetProperty("content").GetString()));
        Assert.All(choices, c => Assert.Equal("stop", c.GetProperty("finish_reason").GetString()));

        var one = single.GetProperty("usage");
        var usage = body.GetProperty("usage");
        Assert.Equal(one.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3 * one.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(),
            usage.GetProperty("prompt_cache_hit_tokens").GetInt32() + usage.GetProperty("prompt_cache_miss_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamedChoicesInterleaveWithTheirIndexEachWithItsOwnFinishAndOneUsage()
    {
        var response = await _client.PostAsync("chat/completions",
            Http.Json(ChatBody("deepseek-chat", "Hi there", new { n = 3, stream = true, stream_options = new { include_usage = true } })));
        var data = await Sse.ReadDataAsync(response);
        Assert.Equal("[DONE]", data[^1]);
        var chunks = Sse.Json(data);

        var roles = chunks.Take(3).Select(c => (c.GetProperty("choices")[0].GetProperty("index").GetInt32(), c.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString()));
        Assert.Equal([(0, "assistant"), (1, "assistant"), (2, "assistant")], roles);
        var withChoice = chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1).Select(c => c.GetProperty("choices")[0]).ToList();
        for (var i = 0; i < 3; i++)
        {
            var mine = withChoice.Where(c => c.GetProperty("index").GetInt32() == i).ToList();
            Assert.Equal(Answer, string.Concat(mine.Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : null)));
            Assert.Equal(["stop"], mine.Select(c => c.GetProperty("finish_reason")).Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()));
        }

        // Interleaved: choice 1's text starts before choice 0's has ended.
        var order = withChoice.Select(c => c.GetProperty("index").GetInt32()).ToList();
        Assert.True(order.IndexOf(1, 3) < order.LastIndexOf(0), "the choices were streamed one after another");

        // The usage once for all, on the last finish chunk and on the trailing chunk.
        var withUsage = chunks.Where(c => c.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(2, withUsage.Count);
        Assert.Equal(chunks[^2].GetProperty("usage").ToString(), chunks[^1].GetProperty("usage").ToString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        var (_, single) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi there"));
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal(single.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3 * single.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task SeededChoiceKIsTheSingleRequestWithSeedPlusK()
    {
        async Task<string> Single(long seed)
        {
            var (_, body) = await _client.PostJsonAsync("chat/completions",
                ChatBody("forge-random", "Tell me something", new { temperature = 1.5, seed, max_tokens = 24 }));
            return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }

        var (_, many) = await _client.PostJsonAsync("chat/completions",
            ChatBody("forge-random", "Tell me something", new { temperature = 1.5, seed = 11, max_tokens = 24, n = 3 }));
        var texts = many.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("message").GetProperty("content").GetString()).ToList();
        Assert.Equal([await Single(11), await Single(12), await Single(13)], texts);
        Assert.Equal(3, texts.Distinct().Count());
    }

    [Fact]
    public async Task ThinkingToolsAndLogprobsArePerChoice()
    {
        var (_, thinking) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-reasoner", "Hi there", new { n = 2 }));
        Assert.All(thinking.GetProperty("choices").EnumerateArray(), c =>
        {
            Assert.Equal(Reasoning, c.GetProperty("message").GetProperty("reasoning_content").GetString());
            Assert.Equal(Answer, c.GetProperty("message").GetProperty("content").GetString());
        });
        var (_, one) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-reasoner", "Hi there"));
        Assert.Equal(2 * ReasoningTokens(one), ReasoningTokens(thinking));

        var (_, tools) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "weather in Paris?", new { tools = WeatherAndTime, n = 2 }));
        Assert.All(tools.GetProperty("choices").EnumerateArray(), c =>
        {
            Assert.Equal("tool_calls", c.GetProperty("finish_reason").GetString());
            var call = Assert.Single(c.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
            Assert.Equal("get_weather", call.GetProperty("name").GetString());
            Assert.Equal("{\"location\": \"Paris\"}", call.GetProperty("arguments").GetString());
        });

        var (_, logprobs) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi", new { logprobs = true, max_tokens = 5, n = 2 }));
        Assert.All(logprobs.GetProperty("choices").EnumerateArray(), c => Assert.Equal(5, c.GetProperty("logprobs").GetProperty("content").GetArrayLength()));
    }

    [Fact]
    public async Task EachChoiceKeepsToItsOwnJsonConstraintAndStopStrings()
    {
        var (_, json) = await _client.PostJsonAsync("chat/completions",
            ChatBody("forge-random", "Reply in JSON", new { response_format = new { type = "json_object" }, seed = 1, max_tokens = 40, temperature = 1.3, n = 4 }));
        Assert.All(json.GetProperty("choices").EnumerateArray(), c =>
        {
            using var parsed = JsonDocument.Parse(c.GetProperty("message").GetProperty("content").GetString()!);
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
            Assert.Equal("stop", c.GetProperty("finish_reason").GetString());
        });

        var (_, stopped) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi there", new { stop = new[] { "InferenceServer" }, n = 2 }));
        Assert.All(stopped.GetProperty("choices").EnumerateArray(), c =>
        {
            Assert.Equal("Hello! This is the ", c.GetProperty("message").GetProperty("content").GetString());
            Assert.Equal("stop", c.GetProperty("finish_reason").GetString());
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public async Task AnNOutsideOneToMaxChoicesIsA422NamingN(int n)
    {
        var (response, body) = await _client.PostJsonAsync("v1/chat/completions", ChatBody("deepseek-chat", "Hi", new { n }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("n", body.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains($"Invalid n value {n}", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ThePromptIsPrefilledOnceForAllChoices()
    {
        var prompt = "A prompt seen by no other test: " + Guid.NewGuid();
        var before = await MetricsAsync();
        var (_, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", prompt, new { n = 4, max_tokens = 6 }));
        var after = await MetricsAsync();

        var usage = body.GetProperty("usage");
        var computed = usage.GetProperty("prompt_tokens").GetInt32() - usage.GetProperty("prompt_cache_hit_tokens").GetInt32();
        Assert.Equal(4, body.GetProperty("choices").GetArrayLength());
        Assert.Equal(computed, after.Prefill - before.Prefill);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), after.Prompt - before.Prompt);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), after.Generated - before.Generated);
    }

    [Fact]
    public async Task AClientThatLeavesCancelsEveryChoiceAndFreesTheirRows()
    {
        _server.Service<ModelRegistry>().TryResolve("deepseek-chat", out var served);
        var ended = new List<GenerationReport>();
        var allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEnded(GenerationReport r)
        {
            lock (ended)
            {
                ended.Add(r);
                if (ended.Count == 3)
                {
                    allEnded.TrySetResult();
                }
            }
        }

        served.Model.GenerationEnded += OnEnded;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
            {
                Content = Http.Json(ChatBody("deepseek-chat", "forever", new { stream = true, max_tokens = 3500, n = 3 })),
            };
            using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _server.BaseAddress };
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var ticking = new HashSet<int>();
            while (ticking.Count < 3 && await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal) && (line.Contains("tick", StringComparison.Ordinal) || line.Contains("tock", StringComparison.Ordinal)))
                {
                    ticking.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("index").GetInt32());
                }
            }

            reader.Dispose();
            response.Dispose();
            client.Dispose();
            await allEnded.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.All(ended, r => Assert.Equal(FinishReason.Cancelled, r.Reason));
            Assert.All(ended, r => Assert.True(r.CompletionTokens < 3500, $"a choice went on to {r.CompletionTokens} tokens"));
        }
        finally
        {
            served.Model.GenerationEnded -= OnEnded;
        }

        // Every row is free again: a request for as many choices as the model runs at once (or the server's most
        // choices, Limits:MaxChoices 8) runs them all to the script's end.
        var (_, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi there", new { n = Math.Min(served.Model.Scheduling.MaxSequences, 8) }));
        Assert.All(body.GetProperty("choices").EnumerateArray(), c => Assert.Equal(Answer, c.GetProperty("message").GetProperty("content").GetString()));
    }

    private static int ReasoningTokens(JsonElement body) =>
        body.GetProperty("usage").GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32();

    private async Task<(double Prefill, double Prompt, double Generated)> MetricsAsync()
    {
        var text = await _client.GetStringAsync("metrics");
        double Value(string name)
        {
            var prefix = $"\n{name}{{model_name=\"deepseek-reasoner\"}} ";
            var start = text.IndexOf(prefix, StringComparison.Ordinal);
            return start < 0 ? 0 : double.Parse(text[(start + prefix.Length)..text.IndexOf('\n', start + 1)], CultureInfo.InvariantCulture);
        }

        return (Value("inferenceserver_prefill_tokens_total"), Value("inferenceserver_prompt_tokens_total"), Value("inferenceserver_generation_tokens_total"));
    }
}
