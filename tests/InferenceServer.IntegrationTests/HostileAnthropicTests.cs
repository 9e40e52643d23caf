using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// Wrong JSON types anywhere in an Anthropic request (messages, blocks, tools, system) are a 400 in Anthropic's error
/// shape whose message names the field, on both Anthropic paths; they used to be 500s.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class HostileAnthropicTests
{
    private const string Head = "\"model\":\"claude-sonnet-4\",\"max_tokens\":5";
    private const string Hi = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    private readonly HttpClient _client;

    public HostileAnthropicTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    /// <summary>Body and the field its message must name.</summary>
    public static TheoryData<string, string> Bodies() => new()
    {
        { "{" + Head + ",\"messages\":[\"x\"]}", "messages.0" },
        { "{" + Head + ",\"messages\":[[{\"role\":\"user\"}]]}", "messages.0" },
        { "{" + Head + ",\"messages\":[1]}", "messages.0" },
        { "{" + Head + ",\"messages\":null}", "messages" },
        { "{" + Head + ",\"messages\":[{\"role\":0,\"content\":\"Hi\"}]}", "messages.0.role" },
        { "{" + Head + ",\"messages\":[{\"role\":\"user\",\"content\":[\"Hi\"]}]}", "messages.0.content.0" },
        { "{" + Head + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":7}]}]}", "messages.0.content.0.type" },
        { "{" + Head + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":[]}]}]}", "messages.0.content.0.text" },
        { "{" + Head + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"name\":\"f\",\"input\":{}}]}]}", "messages.1.content.0.id" },
        { "{" + Head + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":\"{}\"}]}]}", "messages.1.content.0.input" },
        { "{" + Head + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":5}]}]}", "messages.0.content.0.tool_use_id" },
        { "{" + Head + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"text\"}]}]}]}", "messages.0.content.0.content.0.text" },
        { "{" + Head + "," + Hi + ",\"tools\":[1,\"a\"]}", "tools.0" },
        { "{" + Head + "," + Hi + ",\"tools\":[{\"description\":\"no name\"}]}", "tools.0.name" },
        { "{" + Head + "," + Hi + ",\"tools\":[{\"name\":\"f\",\"input_schema\":[]}]}", "tools.0.input_schema" },
        { "{" + Head + "," + Hi + ",\"tool_choice\":\"auto\"}", "tool_choice" },
        { "{" + Head + "," + Hi + ",\"tool_choice\":{\"type\":\"tool\"}}", "tool_choice.name" },
        { "{" + Head + ",\"system\":[{\"type\":\"text\"}]," + Hi + "}", "system.0.text" },
        { "{" + Head + ",\"system\":[\"be brief\"]," + Hi + "}", "system.0" },
        { "{" + Head + ",\"system\":42," + Hi + "}", "system" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task WrongTypesAreA400InAnthropicsShapeNamingTheField(string body, string field)
    {
        foreach (var path in new[] { "anthropic/v1/messages", "v1/messages" })
        {
            var response = await _client.PostAsync(path, Http.Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var json = await response.ReadJsonAsync();
            Assert.Equal("error", json.GetProperty("type").GetString());
            var error = json.GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.StartsWith(field + ":", error.GetProperty("message").GetString());
        }

        await AssertStillServesAsync();
    }

    [Fact]
    public async Task AnEmptyBodyGetsAnthropicsShape()
    {
        var response = await _client.PostAsync("anthropic/v1/messages", Http.Json(string.Empty));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.ReadJsonAsync();
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("A non-empty request body is required.", json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task WellTypedBlocksStillWork()
    {
        var body = "{" + Head + ",\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}]},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":[{\"type\":\"text\",\"text\":\"42\"}]}]}],"
            + "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"auto\"}}";
        var response = await _client.PostAsync("anthropic/v1/messages", Http.Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message", (await response.ReadJsonAsync()).GetProperty("type").GetString());
    }

    private async Task AssertStillServesAsync()
    {
        var response = await _client.PostAsync("anthropic/v1/messages", Http.Json("{" + Head + "," + Hi + "}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Array, json.GetProperty("content").ValueKind);
        Assert.StartsWith("Hello", json.GetProperty("content")[0].GetProperty("text").GetString());
    }
}
