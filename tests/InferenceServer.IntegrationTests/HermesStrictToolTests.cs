using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>strict</c> functions with <c>tool_choice: auto</c> on <c>/beta</c> for a model whose only tool-call form is the
/// Qwen/Hermes <c>&lt;tool_call&gt;</c> tag: the model's own call is kept to the schema, and an answer without a call
/// is left alone.
/// </summary>
public sealed class HermesStrictToolTests : IClassFixture<HermesServerFixture>
{
    private static readonly object Zone = new { type = "object", properties = new { zone = new { type = "string" } }, required = new[] { "zone" }, additionalProperties = false };
    private readonly HttpClient _client;

    public HermesStrictToolTests(HermesServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task TheModelsOwnHermesCallIsKeptToTheStrictSchema()
    {
        // The scripted model answers "clock" with <tool_call>{"name":"get_time","arguments":{"hours":5}}</tool_call>;
        // the strict schema wants only "zone", in a budget that leaves little room.
        for (var seed = 1; seed <= 3; seed++)
        {
            var (response, body) = await _client.PostJsonAsync("beta/chat/completions",
                ChatBody("qwen-chat", "clock please", new { tools = new[] { Function("get_time", Zone, strict: true) }, tool_choice = "auto", max_tokens = 90, seed }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var choice = body.GetProperty("choices")[0];
            Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
            Assert.Equal(string.Empty, choice.GetProperty("message").GetProperty("content").GetString());
            var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
            Assert.Equal("get_time", call.GetProperty("name").GetString());
            using var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!);
            var property = Assert.Single(arguments.RootElement.EnumerateObject());
            Assert.Equal("zone", property.Name);
            Assert.Equal(JsonValueKind.String, property.Value.ValueKind);
        }

        // Without strict the same model's call keeps its own arguments.
        var (_, loose) = await _client.PostJsonAsync("chat/completions",
            ChatBody("qwen-chat", "clock please", new { tools = new[] { Function("get_time", Zone, strict: false) }, tool_choice = "auto" }));
        var looseCall = loose.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal("{\"hours\":5}", looseCall.GetProperty("arguments").GetString());
    }

    [Theory]
    [InlineData("required")]
    [InlineData("named")]
    public async Task AForcedCallKeepsTheModelsOwnCompactText(string constraint)
    {
        // The Hermes grammar allows JSON's whitespace around the call's tokens, none included: the scripted
        // <tool_call>{"name":"get_time","arguments":{"hours":5}}</tool_call> passes as written.
        var hours = new { type = "object", properties = new { hours = new { type = "integer" } }, required = new[] { "hours" }, additionalProperties = false };
        object choice = constraint == "required" ? "required" : new { type = "function", function = new { name = "get_time" } };
        var (response, body) = await _client.PostJsonAsync("chat/completions",
            ChatBody("qwen-chat", "clock please", new { tools = new[] { Function("get_time", hours), Function("get_weather") }, tool_choice = choice }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice0 = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice0.GetProperty("finish_reason").GetString());
        var call = Assert.Single(choice0.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
        Assert.Equal("get_time", call.GetProperty("name").GetString());
        Assert.Equal("{\"hours\":5}", call.GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task AnAnswerWithoutACallIsLeftUnconstrained()
    {
        var (response, body) = await _client.PostJsonAsync("beta/chat/completions",
            ChatBody("qwen-chat", "Hi there", new { tools = new[] { Function("get_time", Zone, strict: true) }, tool_choice = "auto" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(ForgeScripts.DefaultAnswer, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
    }
}
