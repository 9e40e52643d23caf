using System.Globalization;
using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// pattern, format, bounds and multipleOf are enforced, not only accepted: random weights sampled hot still produce
/// values that satisfy them, in structured output and in strict tool calls; what cannot be enforced is a 400 naming it.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class SchemaKeywordTests
{
    private const string CodePattern = "^[A-Z]{3}-\\d{2,4}$";
    private readonly HttpClient _client;

    public SchemaKeywordTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    private static object Schema => new
    {
        type = "object",
        properties = new
        {
            code = new { type = "string", pattern = CodePattern },
            host = new { type = "string", format = "ipv4" },
            id = new { type = "string", format = "uuid" },
            count = new { type = "integer", minimum = 3, maximum = 7 },
            ratio = new { type = "number", exclusiveMinimum = 0, maximum = 1, multipleOf = 0.05 },
        },
        required = new[] { "code", "host", "id", "count", "ratio" },
        additionalProperties = false,
    };

    /// <summary>Small enough for a tool call within the demo model's 512-token context, prompt included.</summary>
    private static object ToolSchema => new
    {
        type = "object",
        properties = new
        {
            code = new { type = "string", pattern = CodePattern },
            host = new { type = "string", format = "ipv4" },
            count = new { type = "integer", minimum = 3, maximum = 7 },
        },
        required = new[] { "code", "host", "count" },
        additionalProperties = false,
    };

    private static void AssertFollowsTheSchema(string json, bool all = true)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(all ? 5 : 3, root.EnumerateObject().Count());
        Assert.Matches(CodePattern, root.GetProperty("code").GetString()!);
        var host = root.GetProperty("host").GetString()!;
        Assert.True(IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.ToString() == host, host);
        var count = root.GetProperty("count");
        Assert.Matches("^-?(0|[1-9][0-9]*)$", count.GetRawText());
        Assert.InRange(count.GetInt32(), 3, 7);
        if (!all)
        {
            return;
        }

        Assert.True(Guid.TryParseExact(root.GetProperty("id").GetString(), "D", out _), root.GetProperty("id").GetString());
        var ratio = decimal.Parse(root.GetProperty("ratio").GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.True(ratio is > 0 and <= 1 && ratio % 0.05m == 0, ratio.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task StructuredOutputFromRandomWeightsSatisfiesPatternFormatAndBounds()
    {
        for (var seed = 1; seed <= 6; seed++)
        {
            var (response, body) = await _client.PostJsonAsync("chat/completions", ChatBody("forge-random", "Fill the form", new
            {
                response_format = new { type = "json_schema", json_schema = new { name = "form", strict = true, schema = Schema } },
                seed,
                max_tokens = 160,
                temperature = 1.3,
            }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var choice = body.GetProperty("choices")[0];
            Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
            AssertFollowsTheSchema(choice.GetProperty("message").GetProperty("content").GetString()!);
        }
    }

    [Fact]
    public async Task StrictToolCallsFromRandomWeightsSatisfyPatternFormatAndBounds()
    {
        for (var seed = 11; seed <= 14; seed++)
        {
            var (response, body) = await _client.PostJsonAsync("beta/chat/completions", ChatBody("forge-random", "Register the device", new
            {
                tools = new[] { Function("register", ToolSchema, strict: true) },
                tool_choice = "required",
                seed,
                max_tokens = 80,
                temperature = 1.0,
            }));
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
            var call = Assert.Single(body.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls").EnumerateArray());
            AssertFollowsTheSchema(call.GetProperty("function").GetProperty("arguments").GetString()!, all: false);
        }
    }

    [Fact]
    public async Task APatternThatCannotBeEnforcedIsA400NamingIt()
    {
        var schema = new { type = "object", properties = new { word = new { type = "string", pattern = "^(?=a)\\w+$" } }, required = new[] { "word" }, additionalProperties = false };
        var (toolResponse, toolBody) = await _client.PostJsonAsync("beta/chat/completions",
            ChatBody("deepseek-chat", "hi", new { tools = new[] { Function("f", schema, strict: true) } }));
        Assert.Equal(HttpStatusCode.BadRequest, toolResponse.StatusCode);
        Assert.Contains("'pattern'", toolBody.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var (formatResponse, formatBody) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "hi", new
        {
            response_format = new { type = "json_schema", json_schema = new { name = "w", strict = true, schema } },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, formatResponse.StatusCode);
        var error = formatBody.GetProperty("error");
        Assert.Contains("'pattern'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("response_format", error.GetProperty("param").GetString());
    }
}
