using System.ClientModel;
using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Chat;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>strict: true</c> tools (what the OpenAI Agents SDK and the zod helpers always send) are accepted and enforced
/// on every base URL; <c>/beta</c> also checks DeepSeek's schema subset. Annotation keywords pass everywhere.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class StrictToolsEverywhereTests
{
    /// <summary>
    /// What zod-to-json-schema writes: annotations around a strict object schema (the scripted call itself uses
    /// "location"). The <c>$schema</c> URL is not json-schema.org's here: the demo takes its script trigger from the whole
    /// prompt, and that URL holds the JSON script's trigger word.
    /// </summary>
    private const string ZodSchema = """
        {"$schema":"https://schemas.example.org/draft-07/schema#","$id":"urn:weather","$comment":"generated","title":"Weather",
         "description":"Where to look.","type":"object","additionalProperties":false,"required":["city"],
         "properties":{"city":{"type":"string","description":"A city.","title":"City","default":"Paris","examples":["Lyon"]}}}
        """;

    private readonly TestServer _server;

    public StrictToolsEverywhereTests(DemoServerFixture fixture) => _server = fixture.Server;

    private static JsonElement Schema => JsonDocument.Parse(ZodSchema).RootElement;

    [Theory]
    [InlineData("chat/completions")]
    [InlineData("v1/chat/completions")]
    [InlineData("beta/chat/completions")]
    public async Task AStrictToolIsEnforcedOnEveryBaseUrlAndItsAnnotationsAreIgnored(string path)
    {
        var (response, body) = await _server.Client.PostJsonAsync(path,
            ChatBody("deepseek-chat", "weather in Paris?", new { tools = new[] { Function("get_weather", Schema, strict: true) } }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
        using var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!);
        Assert.Equal("city", Assert.Single(arguments.RootElement.EnumerateObject()).Name);
    }

    [Fact]
    public async Task TheSameAnnotationsPassInResponseFormat()
    {
        var (response, body) = await _server.Client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "json please", new
        {
            response_format = new { type = "json_schema", json_schema = new { name = "weather", strict = true, schema = Schema } },
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var content = JsonDocument.Parse(body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
        Assert.Equal(JsonValueKind.String, content.RootElement.GetProperty("city").ValueKind);
    }

    [Fact]
    public async Task OnlyBetaChecksDeepSeeksSubset()
    {
        var schema = new { type = "object", properties = new { location = new { type = "string", minLength = 2 } }, required = new[] { "location" }, additionalProperties = false };
        var body = ChatBody("deepseek-chat", "weather in Paris?", new { tools = new[] { Function("get_weather", schema, strict: true) } });
        var (v1, answer) = await _server.Client.PostJsonAsync("v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        Assert.Equal("tool_calls", answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString());

        var (beta, refusal) = await _server.Client.PostJsonAsync("beta/chat/completions", body);
        Assert.Equal(HttpStatusCode.BadRequest, beta.StatusCode);
        Assert.Contains("'minLength'", refusal.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task AStrictToolFromTheOpenAiSdkWorksOnV1()
    {
        var client = new OpenAIClient(new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1") });
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a place.", BinaryData.FromString(ZodSchema), functionSchemaIsStrict: true);
        ChatCompletion completion = await client.GetChatClient("deepseek-chat").CompleteChatAsync([new UserChatMessage("weather in Paris?")], new ChatCompletionOptions { Tools = { tool } });
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        using var arguments = JsonDocument.Parse(call.FunctionArguments.ToString());
        Assert.Equal("city", Assert.Single(arguments.RootElement.EnumerateObject()).Name);
    }
}
