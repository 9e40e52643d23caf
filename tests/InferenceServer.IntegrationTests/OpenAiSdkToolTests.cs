using System.ClientModel;
using System.Text;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace InferenceServer.IntegrationTests;

/// <summary>The official OpenAI .NET SDK reads this server's tool calls (whole and streamed) and JSON output.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class OpenAiSdkToolTests
{
    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "Weather for a place.",
        BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}"""));

    private readonly OpenAIClient _client;

    public OpenAiSdkToolTests(DemoServerFixture fixture) =>
        _client = new OpenAIClient(new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.BaseAddress, "v1") });

    [Fact]
    public async Task ReadsAToolCall()
    {
        var options = new ChatCompletionOptions { Tools = { Weather } };
        ChatCompletion completion = await _client.GetChatClient("deepseek-chat").CompleteChatAsync([new UserChatMessage("weather in Paris?")], options);
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("location").GetString());

        // The SDK's own assistant message and a tool result go back for the next turn.
        ChatCompletion next = await _client.GetChatClient("deepseek-chat").CompleteChatAsync(
            [new UserChatMessage("weather in Paris?"), new AssistantChatMessage(completion), new ToolChatMessage(call.Id, "24C")], options);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task ReadsAStreamedToolCall()
    {
        var options = new ChatCompletionOptions { Tools = { Weather } };
        string? name = null;
        string? id = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in _client.GetChatClient("deepseek-chat").CompleteChatStreamingAsync([new UserChatMessage("weather in Paris?")], options))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                name ??= part.FunctionName;
                id ??= part.ToolCallId;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.StartsWith("call_", id);
        Assert.Equal("{\"location\": \"Paris\"}", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task ForcesANamedFunctionAndJsonOutput()
    {
        var forced = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather"), MaxOutputTokenCount = 40 };
        ChatCompletion call = await _client.GetChatClient("forge-random").CompleteChatAsync([new UserChatMessage("anything")], forced);
        Assert.Equal("get_weather", Assert.Single(call.ToolCalls).FunctionName);
        JsonDocument.Parse(call.ToolCalls[0].FunctionArguments.ToString()).Dispose();

        var json = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(), MaxOutputTokenCount = 40 };
        ChatCompletion completion = await _client.GetChatClient("forge-random").CompleteChatAsync([new UserChatMessage("Reply in JSON")], json);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(completion.Content[0].Text).RootElement.ValueKind);
    }
}
