using System.Net;
using System.Text.Json;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;

namespace InferenceServer.IntegrationTests;

/// <summary><c>/responses</c> over raw HTTP: the event sequence, Codex-style history, incomplete output and errors in the envelope.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class ResponsesHttpTests
{
    private static readonly object[] Tools =
    [
        new { type = "function", name = "get_weather", description = "Weather for a place.", parameters = new { type = "object", properties = new { location = new { type = "string" } } } },
    ];

    private readonly TestServer _server;
    private readonly HttpClient _client;

    public ResponsesHttpTests(DemoServerFixture fixture)
    {
        _server = fixture.Server;
        _client = fixture.Server.Client;
    }

    [Theory]
    [InlineData("responses")]
    [InlineData("v1/responses")]
    public async Task AStringInputGetsTheScriptedMessage(string path)
    {
        var (response, body) = await _client.PostJsonAsync(path, new { model = "deepseek-chat", input = "Hi", metadata = new { run = "7" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("response", body.GetProperty("object").GetString());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("store").GetBoolean());
        Assert.Equal("7", body.GetProperty("metadata").GetProperty("run").GetString());
        var item = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.StartsWith("msg_", item.GetProperty("id").GetString());
        Assert.Equal("completed", item.GetProperty("status").GetString());
        var part = Assert.Single(item.GetProperty("content").EnumerateArray());
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.Equal(ForgeScripts.DefaultAnswer, part.GetProperty("text").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(0, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.True(usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32() >= 0);
    }

    [Fact]
    public async Task StreamingSendsTheSemanticEventsInOrderWithoutDone()
    {
        var response = await _client.PostAsync("v1/responses", Http.Json(new { model = "deepseek-reasoner", input = "Hi", stream = true }));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("[DONE]", body);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            return data;
        }).ToList();

        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        string[] expected =
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.content_part.added", "response.reasoning_text.delta",
            "response.reasoning_text.done", "response.content_part.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.completed",
        ];
        var types = events.Select(e => e.GetProperty("type").GetString()!).ToList();
        Assert.Equal(expected, types.Where((t, i) => i == 0 || t != types[i - 1] || !t.EndsWith(".delta", StringComparison.Ordinal)));

        Assert.Equal(ForgeScripts.DefaultReasoning, string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.reasoning_text.delta").Select(e => e.GetProperty("delta").GetString())));
        Assert.Equal(ForgeScripts.DefaultReasoning, events.Single(e => e.GetProperty("type").GetString() == "response.reasoning_text.done").GetProperty("text").GetString());
        var textDone = events.Single(e => e.GetProperty("type").GetString() == "response.output_text.done");
        Assert.Equal(ForgeScripts.DefaultAnswer, textDone.GetProperty("text").GetString());
        Assert.Equal(1, textDone.GetProperty("output_index").GetInt32());
        var final = events[^1].GetProperty("response");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.Equal(["reasoning", "message"], final.GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("in_progress", events[0].GetProperty("response").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AStreamedFunctionCallHasArgumentDeltasAndDone()
    {
        var response = await _client.PostAsync("responses", Http.Json(new { model = "deepseek-chat", input = "weather in Paris?", tools = Tools, stream = true }));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(b => JsonDocument.Parse(b.Split('\n')[1]["data: ".Length..]).RootElement.Clone()).ToList();
        var added = events.Single(e => e.GetProperty("type").GetString() == "response.output_item.added").GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("get_weather", added.GetProperty("name").GetString());
        var deltas = string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.function_call_arguments.delta").Select(e => e.GetProperty("delta").GetString()));
        Assert.Equal(ForgeScripts.WeatherArguments, deltas);
        var done = events.Single(e => e.GetProperty("type").GetString() == "response.function_call_arguments.done");
        Assert.Equal(ForgeScripts.WeatherArguments, done.GetProperty("arguments").GetString());
        var item = events.Single(e => e.GetProperty("type").GetString() == "response.output_item.done").GetProperty("item");
        Assert.Equal(added.GetProperty("call_id").GetString(), item.GetProperty("call_id").GetString());
        Assert.Equal("response.completed", events[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task MaxOutputTokensMakesTheResponseIncomplete()
    {
        var (_, body) = await _client.PostJsonAsync("v1/responses", new { model = "deepseek-chat", input = "Hi", max_output_tokens = 2 });
        Assert.Equal("incomplete", body.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", body.GetProperty("incomplete_details").GetProperty("reason").GetString());
        var item = body.GetProperty("output")[0];
        Assert.Equal("incomplete", item.GetProperty("status").GetString());
        Assert.Equal("Hello!", item.GetProperty("content")[0].GetProperty("text").GetString());

        var stream = await _client.PostAsync("v1/responses", Http.Json(new { model = "deepseek-chat", input = "Hi", max_output_tokens = 2, stream = true }));
        var last = (await stream.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("event: response.incomplete\n", last);
    }

    [Fact]
    public async Task CodexStyleHistoryWithoutIdsOrStatusIsAccepted()
    {
        // As Codex replays a turn: developer instructions, a reasoning item, an assistant message, a call and its output.
        var input = new object[]
        {
            new { type = "message", role = "developer", content = new[] { new { type = "input_text", text = "You are a coding agent." } } },
            new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "Where am I?" } } },
            new { type = "reasoning", summary = new[] { new { type = "summary_text", text = "Look it up." } }, encrypted_content = (string?)null },
            new { type = "message", role = "assistant", content = new[] { new { type = "output_text", text = "Checking." } } },
            new { type = "function_call", call_id = "call_1", name = "get_weather", arguments = "{\"location\":\"Paris\"}" },
            new { type = "function_call_output", call_id = "call_1", output = "24C" },
            new { role = "user", content = "Thanks. Hi" },
        };
        var (response, body) = await _client.PostJsonAsync("v1/responses", new
        {
            model = "deepseek-chat",
            instructions = "Be brief.",
            input,
            tools = Tools,
            parallel_tool_calls = false,
            store = false,
            reasoning = new { effort = "medium", summary = "auto" },
            include = new[] { "reasoning.encrypted_content" },
            text = new { verbosity = "low" },
            prompt_cache_key = "session-1",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("Be brief.", body.GetProperty("instructions").GetString());
    }

    [Fact]
    public async Task AnImageInputGetsTheSameRefusalAsAChatImagePart()
    {
        var png = "data:image/png;base64," + Convert.ToBase64String(Uploads.Png);
        var input = new[] { new { role = "user", content = new object[] { new { type = "input_text", text = "What is this?" }, new { type = "input_image", image_url = png } } } };
        var (response, body) = await _client.PostJsonAsync("v1/responses", new { model = "deepseek-chat", input });
        var (chat, chatBody) = await _client.PostJsonAsync("v1/chat/completions", new
        {
            model = "deepseek-chat",
            messages = new[] { new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = png } } } } },
        });
        Assert.Equal(chat.StatusCode, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("input[0].content[1]", error.GetProperty("param").GetString());
        Assert.Contains("'input_image' are not supported by model 'deepseek-chat', which reads text only", error.GetProperty("message").GetString());
        Assert.Equal(chatBody.GetProperty("error").GetProperty("type").GetString(), error.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"model":"deepseek-chat","input":"Hi","safety_check":{"level":"medium"}}""", HttpStatusCode.BadRequest, "safety_check.level")]
    [InlineData("""{"model":"deepseek-chat"}""", HttpStatusCode.UnprocessableEntity, "input")]
    [InlineData("""{"model":"deepseek-chat","input":[{"type":"web_search_call"}]}""", HttpStatusCode.UnprocessableEntity, "input[0].type")]
    [InlineData("""{"model":"deepseek-chat","input":"Hi","tools":[{"type":"web_search"}]}""", HttpStatusCode.UnprocessableEntity, "tools[0].type")]
    [InlineData("""{"model":"deepseek-chat","input":"Hi","reasoning":{"effort":"huge"}}""", HttpStatusCode.UnprocessableEntity, "reasoning.effort")]
    [InlineData("""{"model":"deepseek-chat","input":"Hi","text":{"format":{"type":"yaml"}}}""", HttpStatusCode.UnprocessableEntity, "text.format.type")]
    [InlineData("""{"model":"deepseek-chat","input":"Hi","previous_response_id":"resp_missing"}""", HttpStatusCode.NotFound, "previous_response_id")]
    [InlineData("""{"model":"nope","input":"Hi"}""", HttpStatusCode.BadRequest, "model")]
    public async Task BadRequestsGetTheErrorEnvelope(string json, HttpStatusCode status, string param)
    {
        var response = await _client.PostAsync("v1/responses", Http.Json(json));
        Assert.Equal(status, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task SafetyCheckLevelsAreAccepted()
    {
        var (response, _) = await _client.PostJsonAsync("v1/responses", new { model = "deepseek-chat", input = "Hi", safety_check = new { level = "low" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AResponseReusesThePrefixCacheAChatRequestFilled()
    {
        var run = Guid.NewGuid().ToString("N");
        var document = string.Join(' ', Enumerable.Range(0, 14).Select(i => $"fact{i} about the document {run}"));
        var (_, chat) = await _client.PostJsonAsync("chat/completions", new
        {
            model = "deepseek-chat",
            messages = new[] { new { role = "system", content = document }, new { role = "user", content = "Summarise." } },
        });
        Assert.Equal(0, chat.GetProperty("usage").GetProperty("prompt_cache_hit_tokens").GetInt32());

        var (_, body) = await _client.PostJsonAsync("v1/responses", new { model = "deepseek-chat", instructions = document, input = "Summarise." });
        var usage = body.GetProperty("usage");
        var prompt = usage.GetProperty("input_tokens").GetInt32();
        Assert.Equal(chat.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), prompt);
        Assert.Equal((prompt - 1) / 64 * 64, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task AClientThatLeavesAStreamedResponseStopsItsGeneration()
    {
        _server.Service<ModelRegistry>().TryResolve("deepseek-chat", out var served);
        var ended = new TaskCompletionSource<GenerationReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEnded(GenerationReport r) => ended.TrySetResult(r);
        served.Model.GenerationEnded += OnEnded;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses")
            {
                Content = Http.Json(new { model = "deepseek-chat", input = "forever", stream = true, max_output_tokens = 3500 }),
            };
            using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _server.BaseAddress })
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                var seen = 0;
                while (seen < 5 && await reader.ReadLineAsync() is { } line)
                {
                    seen += line.StartsWith("event: response.output_text.delta", StringComparison.Ordinal) ? 1 : 0;
                }
            }

            var report = await ended.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(report.Reason == FinishReason.Cancelled, $"ended with {report.Reason} after {report.CompletionTokens} tokens");
            Assert.True(report.CompletionTokens < 3500, $"generation went on to {report.CompletionTokens} tokens");
        }
        finally
        {
            served.Model.GenerationEnded -= OnEnded;
        }
    }
}
