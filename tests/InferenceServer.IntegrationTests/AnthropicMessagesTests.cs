using System.Net;
using System.Text;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary><c>/anthropic/v1/messages</c>: Anthropic's request, response, stream events and error shapes over the same models.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class AnthropicMessagesTests
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private static readonly object[] Tools =
    [
        new { name = "get_weather", description = "Weather for a place.", input_schema = new { type = "object", properties = new { location = new { type = "string" } } } },
    ];

    private readonly HttpClient _client;

    public AnthropicMessagesTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(object body, string path = "anthropic/v1/messages")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Http.Json(body) };
        request.Headers.Add("x-api-key", "sk-local");
        request.Headers.Add("anthropic-version", "2023-06-01");
        var response = await _client.SendAsync(request);
        return (response, await response.ReadJsonAsync());
    }

    [Theory]
    [InlineData("anthropic/v1/messages")]
    [InlineData("v1/messages")]
    public async Task AClaudeModelNameIsServedByTheConfiguredModel(string path)
    {
        var (response, body) = await PostAsync(new
        {
            model = "claude-sonnet-4-5",
            max_tokens = 256,
            system = "Be brief.",
            messages = new[] { new { role = "user", content = "Hi" } },
        }, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message", body.GetProperty("type").GetString());
        Assert.StartsWith("msg_", body.GetProperty("id").GetString());
        Assert.Equal("assistant", body.GetProperty("role").GetString());
        Assert.Equal("claude-sonnet-4-5", body.GetProperty("model").GetString());
        var block = Assert.Single(body.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal(Answer, block.GetProperty("text").GetString());
        Assert.Equal("end_turn", body.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("stop_sequence").ValueKind);
        Assert.True(body.GetProperty("usage").GetProperty("input_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task AMatchedStopSequenceIsReportedByName()
    {
        var (response, body) = await PostAsync(new
        {
            model = "claude-sonnet-4-5",
            max_tokens = 256,
            stop_sequences = new[] { "never there", " demo" },
            messages = new[] { new { role = "user", content = "Hi" } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello! This is the InferenceServer", body.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("stop_sequence", body.GetProperty("stop_reason").GetString());
        Assert.Equal(" demo", body.GetProperty("stop_sequence").GetString());
    }

    [Fact]
    public async Task ThinkingComesAsAThinkingBlockBeforeTheText()
    {
        var (_, body) = await PostAsync(new
        {
            model = "claude-opus-4",
            max_tokens = 256,
            thinking = new { type = "enabled", budget_tokens = 1024 },
            messages = new[] { new { role = "user", content = new object[] { new { type = "text", text = "Hi" } } } },
        });
        var blocks = body.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal("thinking", blocks[0].GetProperty("type").GetString());
        Assert.Equal("Scripted reasoning goes first; then comes an answer", blocks[0].GetProperty("thinking").GetString());
        Assert.Equal(Answer, blocks[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task AToolCallIsAToolUseBlockAndResultsGoBackAsToolResult()
    {
        var (_, body) = await PostAsync(new { model = "deepseek-chat", max_tokens = 256, tools = Tools, messages = new[] { new { role = "user", content = "weather in Paris?" } } });
        Assert.Equal("tool_use", body.GetProperty("stop_reason").GetString());
        var use = body.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        Assert.Equal("get_weather", use.GetProperty("name").GetString());
        Assert.Equal("Paris", use.GetProperty("input").GetProperty("location").GetString());

        var messages = new object[]
        {
            new { role = "user", content = "weather in Paris?" },
            new { role = "assistant", content = new object[] { new { type = "tool_use", id = use.GetProperty("id").GetString(), name = "get_weather", input = new { location = "Paris" } } } },
            new { role = "user", content = new object[] { new { type = "tool_result", tool_use_id = use.GetProperty("id").GetString(), content = "24C" } } },
        };
        var (again, _) = await PostAsync(new { model = "deepseek-chat", max_tokens = 256, tools = Tools, messages });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task StreamingFollowsAnthropicsEventSequence()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "anthropic/v1/messages")
        {
            Content = Http.Json(new
            {
                model = "claude-haiku-4",
                max_tokens = 256,
                stream = true,
                thinking = new { type = "enabled" },
                messages = new[] { new { role = "user", content = "Hi" } },
            }),
        };
        var response = await _client.SendAsync(request);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n'))
            .Select(lines => (Name: lines[0]["event: ".Length..], Data: JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone()))
            .ToList();
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
        var names = events.Select(e => e.Name).Distinct().ToList();
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], names);
        Assert.Equal(2, events.Count(e => e.Name == "content_block_start"));
        var thinking = new StringBuilder();
        var text = new StringBuilder();
        foreach (var e in events.Where(e => e.Name == "content_block_delta"))
        {
            var delta = e.Data.GetProperty("delta");
            (delta.GetProperty("type").GetString() == "thinking_delta" ? thinking.Append(delta.GetProperty("thinking").GetString())
                : text.Append(delta.GetProperty("text").GetString())).ToString();
        }

        Assert.Equal("Scripted reasoning goes first; then comes an answer", thinking.ToString());
        Assert.Equal(Answer, text.ToString());
        var end = events.Single(e => e.Name == "message_delta").Data;
        Assert.Equal("end_turn", end.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.True(end.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
    }

    [Theory]
    [InlineData("{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")]
    [InlineData("{\"model\":\"gpt-4o\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")]
    [InlineData("{\"model\":\"claude-sonnet-4\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"Hi\"}]}")]
    [InlineData("{\"model\":\"claude-sonnet-4\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\"}]}]}")]
    [InlineData("not json")]
    public async Task BadRequestsGetAnthropicsErrorShape(string body)
    {
        var response = await _client.PostAsync("anthropic/v1/messages", Http.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.ReadJsonAsync();
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("error").GetProperty("message").GetString()));
    }
}
