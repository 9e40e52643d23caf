using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// The demo model picks its script from the last user message only: a trigger word in the system prompt, a tool's
/// description or schema, or an earlier turn does not change the answer.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class ScriptTriggerTests
{
    private readonly HttpClient _client;

    public ScriptTriggerTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    /// <summary>A tool whose description and schema (as the SDKs' zod converters write it) say "weather" and "json".</summary>
    private static object WeatherTool => new
    {
        type = "function",
        function = new
        {
            name = "get_weather",
            description = "Looks up the weather, answers in json",
            parameters = new Dictionary<string, object>
            {
                ["$schema"] = "http://json-schema.org/draft-07/schema#",
                ["type"] = "object",
                ["properties"] = new { location = new { type = "string", description = "where to get the weather forecast" } },
                ["required"] = new[] { "location" },
            },
        },
    };

    [Fact]
    public async Task ATriggerOnlyInTheSystemPromptOrAToolGivesTheDefaultAnswer()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions", new Dictionary<string, object?>
        {
            ["model"] = "deepseek-chat",
            ["messages"] = new object[]
            {
                new { role = "system", content = "You answer questions about the weather in json, pretty and forever." },
                new { role = "user", content = "Hi there" },
            },
            ["tools"] = new[] { WeatherTool },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(ForgeScripts.DefaultAnswer, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public async Task ATriggerInAnEarlierTurnGivesTheDefaultAnswer()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", new Dictionary<string, object?>
        {
            ["model"] = "deepseek-chat",
            ["messages"] = new object[]
            {
                new { role = "user", content = "json please" },
                new { role = "assistant", content = ForgeScripts.JsonAnswer },
                new { role = "user", content = "Thanks" },
            },
        });
        Assert.Equal(ForgeScripts.DefaultAnswer, body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task ATriggerInTheLastUserMessageChoosesTheScriptWhateverCameBefore()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", new Dictionary<string, object?>
        {
            ["model"] = "deepseek-chat",
            ["messages"] = new object[]
            {
                new { role = "system", content = "Answer in json, forever." },
                new { role = "user", content = "Hi" },
                new { role = "assistant", content = "Hello." },
                new { role = "user", content = "weather in Paris?" },
            },
            ["tools"] = new[] { WeatherTool },
        });
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
        Assert.Equal(ForgeScripts.WeatherTool, call.GetProperty("name").GetString());
        Assert.Equal(ForgeScripts.WeatherArguments, call.GetProperty("arguments").GetString());

        var (_, json) = await _client.PostJsonAsync("chat/completions", new Dictionary<string, object?>
        {
            ["model"] = "deepseek-chat",
            ["messages"] = new object[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "json please" } },
        });
        Assert.Equal(ForgeScripts.JsonAnswer, json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
