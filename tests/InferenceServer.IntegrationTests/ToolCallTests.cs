using System.Net;
using System.Text;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>Tool calls over HTTP: the scripted model's calls are parsed into <c>tool_calls</c>, streamed as deltas, and forced ones are well-formed even from random weights.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class ToolCallTests
{
    private readonly HttpClient _client;

    public ToolCallTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task ADeepSeekMarkerCallBecomesToolCallsWithFinishReasonToolCalls()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "weather in Paris?", new { tools = WeatherAndTime }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal(string.Empty, message.GetProperty("content").GetString());
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.StartsWith("call_00_", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{\"location\": \"Paris\"}", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task InThinkingModeTheReasoningComesFirstAndTheCallAfter()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-reasoner", "weather in Paris?", new { tools = WeatherAndTime }));
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Calling a tool", message.GetProperty("reasoning_content").GetString());
        Assert.Equal("get_weather", message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task AHermesToolCallTagIsParsedToo()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "clock please", new { tools = WeatherAndTime }));
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal("get_time", call.GetProperty("name").GetString());
        Assert.Equal("{\"hours\":5}", call.GetProperty("arguments").GetString());
        Assert.Equal(string.Empty, choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task StreamedCallsArriveAsIndexIdNameThenArgumentFragments()
    {
        var response = await _client.PostAsync("chat/completions", Http.Json(ChatBody("deepseek-chat", "weather in Paris?", new { tools = WeatherAndTime, stream = true })));
        var chunks = Sse.Json(await Sse.ReadDataAsync(response));
        var deltas = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("tool_calls", out _)).Select(d => d.GetProperty("tool_calls")[0]).ToList();
        Assert.True(deltas.Count >= 2);
        var first = deltas[0];
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.StartsWith("call_", first.GetProperty("id").GetString());
        Assert.Equal("get_weather", first.GetProperty("function").GetProperty("name").GetString());
        var arguments = new StringBuilder();
        foreach (var d in deltas.Skip(1))
        {
            Assert.False(d.TryGetProperty("id", out _));
            arguments.Append(d.GetProperty("function").GetProperty("arguments").GetString());
        }

        Assert.Equal("{\"location\": \"Paris\"}", arguments.ToString());
        var last = chunks.Last(c => c.GetProperty("choices").GetArrayLength() > 0).GetProperty("choices")[0];
        Assert.Equal("tool_calls", last.GetProperty("finish_reason").GetString());
        Assert.DoesNotContain(chunks, c => c.GetProperty("choices").GetArrayLength() > 0
            && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && (t.GetString() ?? string.Empty).Contains('｜'));
    }

    [Fact]
    public async Task ToolChoiceNoneParsesNoCalls()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "weather in Paris?", new { tools = WeatherAndTime, tool_choice = "none" }));
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public async Task AToolConversationRoundTripsThroughTheTemplate()
    {
        var messages = new object[]
        {
            new { role = "user", content = "weather in Paris?" },
            new { role = "assistant", content = "", tool_calls = new[] { new { id = "call_1", type = "function", function = new { name = "get_weather", arguments = "{\"location\":\"Paris\"}" } } } },
            new { role = "tool", tool_call_id = "call_1", content = "24C" },
        };
        var (response, body) = await _client.PostJsonAsync("chat/completions", new { model = "deepseek-chat", messages, tools = WeatherAndTime });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tool_calls", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    /// <summary>DeepSeek's current rule: with <c>tools</c>, earlier reasoning goes back into the prompt; without, it is ignored.</summary>
    [Fact]
    public async Task EarlierReasoningCountsInThePromptOnlyWhenToolsAreSent()
    {
        async Task<int> PromptTokens(bool reasoning, bool tools)
        {
            var assistant = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "Fine." };
            if (reasoning)
            {
                assistant["reasoning_content"] = "The user greets me so I greet back";
            }

            var body = new Dictionary<string, object?>
            {
                ["model"] = "deepseek-reasoner",
                ["messages"] = new object[] { new { role = "user", content = "Hi" }, assistant, new { role = "user", content = "Hi again" } },
                ["max_tokens"] = 1,
            };
            if (tools)
            {
                body["tools"] = WeatherAndTime;
            }

            var (_, json) = await _client.PostJsonAsync("chat/completions", body);
            return json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        }

        Assert.Equal(await PromptTokens(reasoning: false, tools: false), await PromptTokens(reasoning: true, tools: false));
        Assert.True(await PromptTokens(reasoning: true, tools: true) > await PromptTokens(reasoning: false, tools: true));
    }

    [Theory]
    [InlineData("required", null)]
    [InlineData("named", "get_time")]
    public async Task AForcedCallFromRandomWeightsIsAlwaysWellFormed(string mode, string? name)
    {
        object choice = mode == "required" ? "required" : new { type = "function", function = new { name } };
        for (var seed = 1; seed <= 8; seed++)
        {
            var (response, body) = await _client.PostJsonAsync("chat/completions",
                ChatBody("forge-random", "Do something", new { tools = WeatherAndTime, tool_choice = choice, seed, max_tokens = 48, temperature = 1.0 }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var c = body.GetProperty("choices")[0];
            Assert.Equal("tool_calls", c.GetProperty("finish_reason").GetString());
            var call = Assert.Single(c.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
            var called = call.GetProperty("name").GetString();
            Assert.Contains(called, name is null ? (string[])["get_weather", "get_time"] : [name]);
            using var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!);
            var property = Assert.Single(arguments.RootElement.EnumerateObject());
            Assert.Equal("location", property.Name);
            Assert.Equal(JsonValueKind.String, property.Value.ValueKind);
        }
    }

    [Fact]
    public async Task StrictSchemasOnBetaAreCheckedAndAnUnsupportedKeywordIsNamed()
    {
        var good = new { type = "object", properties = new { location = new { type = "string", format = "hostname" } }, required = new[] { "location" }, additionalProperties = false };
        var (ok, _) = await _client.PostJsonAsync("beta/chat/completions",
            ChatBody("deepseek-chat", "weather in Paris?", new { tools = new[] { Function("get_weather", good, strict: true) } }));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var bad = new { type = "object", properties = new { location = new { type = "string", minLength = 2 } }, required = new[] { "location" }, additionalProperties = false };
        var (response, body) = await _client.PostJsonAsync("beta/chat/completions",
            ChatBody("deepseek-chat", "weather in Paris?", new { tools = new[] { Function("get_weather", bad, strict: true) } }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Contains("'minLength'", error.GetProperty("message").GetString());
        Assert.Equal("tools[0].function.parameters.properties.location", error.GetProperty("param").GetString());

        var open = new { type = "object", properties = new { location = new { type = "string" } }, required = new[] { "location" } };
        var (response2, body2) = await _client.PostJsonAsync("beta/chat/completions",
            ChatBody("deepseek-chat", "weather in Paris?", new { tools = new[] { Function("get_weather", open, strict: true) } }));
        Assert.Equal(HttpStatusCode.BadRequest, response2.StatusCode);
        Assert.Contains("additionalProperties", body2.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task StrictFunctionsWithAutoChoiceKeepTheModelsOwnCallToTheSchema()
    {
        // The scripted model calls get_weather with {"location": "Paris"}; the strict schema wants only "city".
        var schema = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" }, additionalProperties = false };
        var (response, body) = await _client.PostJsonAsync("beta/chat/completions",
            ChatBody("deepseek-chat", "weather in Paris?", new { tools = new[] { Function("get_weather", schema, strict: true) }, tool_choice = "auto" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        using var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!);
        var property = Assert.Single(arguments.RootElement.EnumerateObject());
        Assert.Equal("city", property.Name);
        Assert.Equal(JsonValueKind.String, property.Value.ValueKind);

        // Without strict the same model's call keeps its own arguments.
        var (_, loose) = await _client.PostJsonAsync("chat/completions",
            ChatBody("deepseek-chat", "weather in Paris?", new { tools = new[] { Function("get_weather", schema, strict: false) }, tool_choice = "auto" }));
        var looseCall = loose.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal("{\"location\": \"Paris\"}", looseCall.GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task TheReasonerLastMessageRuleUsesDeepSeeksMessage()
    {
        var messages = new object[] { new { role = "user", content = "Hi" }, new { role = "assistant", content = "Hello" } };
        var (response, body) = await _client.PostJsonAsync("chat/completions", new { model = "deepseek-reasoner", messages });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The last message of deepseek-reasoner must be a user message", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task MoreThan128ToolsAreRefused()
    {
        var tools = Enumerable.Range(0, 129).Select(i => Function($"f{i}")).ToArray();
        var (response, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi", new { tools }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("tools", body.GetProperty("error").GetProperty("param").GetString());

        // 128 pass the count check (the demo's 4K context is then what refuses them).
        var (_, full) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi", new { tools = tools[..128], max_tokens = 1 }));
        Assert.StartsWith("This model's maximum context length", full.GetProperty("error").GetProperty("message").GetString());
    }
}
