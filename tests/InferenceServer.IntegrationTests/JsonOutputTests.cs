using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary><c>response_format</c> JSON output: the scripted answer passes the grammar, and random weights still give valid JSON every time.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class JsonOutputTests
{
    private readonly HttpClient _client;

    public JsonOutputTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task TheScriptedJsonAnswerComesThroughTheGrammarUnchanged()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions",
            ChatBody("deepseek-chat", "json please", new { response_format = new { type = "json_object" } }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("{\"answer\":\"yes\"}", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData("json_object", 40)]
    [InlineData("json_object", 6)]
    [InlineData("json_schema", 24)]
    public async Task RandomWeightsAlwaysGiveAJsonObject(string type, int maxTokens)
    {
        object format = type == "json_object"
            ? new { type }
            : new { type, json_schema = new { name = "answer", schema = new { type = "object" } } };
        for (var seed = 1; seed <= 10; seed++)
        {
            var (response, body) = await _client.PostJsonAsync("chat/completions",
                ChatBody("forge-random", "Reply in JSON", new { response_format = format, seed, max_tokens = maxTokens, temperature = 1.3 }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            using var parsed = JsonDocument.Parse(content);
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
            Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        }
    }

    [Fact]
    public async Task StreamedJsonIsValidToo()
    {
        var response = await _client.PostAsync("chat/completions", Http.Json(
            ChatBody("forge-random", "Reply in JSON", new { response_format = new { type = "json_object" }, seed = 7, max_tokens = 30, stream = true })));
        var chunks = Sse.Json(await Sse.ReadDataAsync(response));
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var t) ? t.GetString() : null));
        using var parsed = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
    }

    [Fact]
    public async Task JsonSchemaOutputFromRandomWeightsFollowsTheSchema()
    {
        var schema = new
        {
            type = "object",
            properties = new
            {
                city = new { type = "string" },
                days = new { type = "integer" },
                unit = new { @enum = new[] { "C", "F" } },
                rain = new { type = "array", items = new { type = "boolean" } },
            },
            required = new[] { "city", "days", "unit", "rain" },
            additionalProperties = false,
        };
        for (var seed = 1; seed <= 8; seed++)
        {
            var (_, body) = await _client.PostJsonAsync("chat/completions", ChatBody("forge-random", "Forecast", new
            {
                response_format = new { type = "json_schema", json_schema = new { name = "forecast", strict = true, schema } },
                seed,
                max_tokens = 64,
                temperature = 1.3,
            }));
            var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            var root = JsonDocument.Parse(content).RootElement;
            Assert.Equal(["city", "days", "unit", "rain"], root.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(JsonValueKind.String, root.GetProperty("city").ValueKind);
            Assert.Matches("^-?(0|[1-9][0-9]*)$", root.GetProperty("days").GetRawText());
            Assert.Contains(root.GetProperty("unit").GetString(), (string[])["C", "F"]);
            Assert.All(root.GetProperty("rain").EnumerateArray(), r => Assert.True(r.ValueKind is JsonValueKind.True or JsonValueKind.False));
        }
    }
}
