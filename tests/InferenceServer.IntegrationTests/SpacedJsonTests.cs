using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// A model that writes spaced and indented JSON keeps its own text under every kind of constraint: the grammar admits
/// the whitespace JSON allows. The scripted model answers "pretty" with <see cref="ForgeScripts.SpacedJson"/>, calls
/// get_forecast with it on "forecast", and calls get_weather with <c>{"location": "Paris"}</c> on "weather".
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class SpacedJsonTests
{
    private static readonly object Forecast = new
    {
        type = "object",
        properties = new
        {
            sky = new { type = "string" },
            wind = new
            {
                type = "object",
                properties = new { kph = new { type = "array", items = new { type = "integer" } } },
                required = new[] { "kph" },
                additionalProperties = false,
            },
        },
        required = new[] { "sky", "wind" },
        additionalProperties = false,
    };

    private static readonly object Location = new
    {
        type = "object",
        properties = new { location = new { type = "string" } },
        required = new[] { "location" },
        additionalProperties = false,
    };

    private readonly HttpClient _client;

    public SpacedJsonTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Theory]
    [InlineData("json_object")]
    [InlineData("json_schema")]
    public async Task ASpacedAnswerComesThroughTheResponseFormatUnchanged(string type)
    {
        object format = type == "json_object"
            ? new { type }
            : new { type, json_schema = new { name = "forecast", strict = true, schema = Forecast } };
        var (response, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "pretty please", new { response_format = format }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(ForgeScripts.SpacedJson, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task AStreamedSpacedAnswerComesThroughUnchanged()
    {
        var response = await _client.PostAsync("chat/completions", Http.Json(
            ChatBody("deepseek-chat", "pretty please", new { response_format = new { type = "json_object" }, stream = true })));
        var chunks = Sse.Json(await Sse.ReadDataAsync(response));
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var t) ? t.GetString() : null));
        Assert.Equal(ForgeScripts.SpacedJson, text);
    }

    [Theory]
    [InlineData("forecast", "required", "chat/completions")]
    [InlineData("forecast", "named", "chat/completions")]
    [InlineData("forecast", "strict", "beta/chat/completions")]
    [InlineData("weather", "required", "chat/completions")]
    [InlineData("weather", "named", "chat/completions")]
    [InlineData("weather", "strict", "beta/chat/completions")]
    public async Task SpacedArgumentsComeThroughEveryToolConstraintUnchanged(string script, string constraint, string path)
    {
        var (name, schema, arguments) = script == "forecast"
            ? (ForgeScripts.ForecastTool, Forecast, ForgeScripts.SpacedJson)
            : (ForgeScripts.WeatherTool, Location, ForgeScripts.WeatherArguments);
        var strict = constraint == "strict";
        object toolChoice = constraint switch
        {
            "required" => "required",
            "named" => new { type = "function", function = new { name } },
            _ => "auto",
        };
        var tools = new[] { Function(name, schema, strict: strict ? true : null), Function("get_time") };
        var (response, body) = await _client.PostJsonAsync(path, ChatBody("deepseek-chat", $"{script} for Lyon", new { tools, tool_choice = toolChoice }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
        Assert.Equal(name, call.GetProperty("name").GetString());
        Assert.Equal(arguments, call.GetProperty("arguments").GetString());
    }
}
