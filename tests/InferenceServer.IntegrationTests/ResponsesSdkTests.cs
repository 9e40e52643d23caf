#pragma warning disable OPENAI001 // The SDK's Responses client is marked experimental.
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;
using OpenAI.Responses;

namespace InferenceServer.IntegrationTests;

/// <summary>The official OpenAI .NET SDK's Responses client, pointed at this server, works unchanged.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class ResponsesSdkTests
{
    private const string WeatherSchema = """{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""";
    private readonly ResponsesClient _client;

    public ResponsesSdkTests(DemoServerFixture fixture) =>
        _client = new ResponsesClient(new ApiKeyCredential("sk-local"), new ResponsesClientOptions { Endpoint = new Uri(fixture.Server.BaseAddress, "v1") });

    [Fact]
    public async Task CreatesAResponseAndReadsUsage()
    {
        ResponseResult response = await _client.CreateResponseAsync("deepseek-chat", "Hi");
        Assert.StartsWith("resp_", response.Id);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal("deepseek-chat", response.Model);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal(MessageRole.Assistant, message.Role);
        Assert.Equal(ForgeScripts.DefaultAnswer, response.GetOutputText());
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.Equal(0, response.Usage.OutputTokenDetails.ReasoningTokenCount);
    }

    [Fact]
    public async Task StreamsTextDeltasThenTheCompletedResponse()
    {
        var text = new StringBuilder();
        var sequence = new List<int>();
        ResponseResult? completed = null;
        var options = new CreateResponseOptions("deepseek-chat", [ResponseItem.CreateUserMessageItem("Hi")]) { Instructions = "Be brief.", StreamingEnabled = true };
        await foreach (var update in await _client.CreateResponseStreamingAsync(options))
        {
            sequence.Add(update.SequenceNumber);
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal(ForgeScripts.DefaultAnswer, text.ToString());
        Assert.NotNull(completed);
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(ForgeScripts.DefaultAnswer, completed.GetOutputText());
        Assert.Equal(Enumerable.Range(0, sequence.Count), sequence);
    }

    [Fact]
    public async Task AFunctionCallRoundTripsWithTheSdksOwnItems()
    {
        var tool = ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), strictModeEnabled: false, functionDescription: "Weather for a place.");
        List<ResponseItem> input = [ResponseItem.CreateUserMessageItem("weather in Paris?")];
        ResponseResult first = await _client.CreateResponseAsync(new CreateResponseOptions("deepseek-chat", input) { Tools = { tool } });
        var call = Assert.IsAssignableFrom<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.CallId);
        Assert.Equal(ForgeScripts.WeatherArguments, call.FunctionArguments.ToString());
        Assert.Equal(ResponseStatus.Completed, first.Status);

        // The SDK sends its own function_call item (with id and status) and the output back.
        input.Add(call);
        input.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, "24C"));
        ResponseResult next = await _client.CreateResponseAsync(new CreateResponseOptions("deepseek-chat", input) { Tools = { tool } });
        Assert.Equal(ResponseStatus.Completed, next.Status);
        Assert.True(next.Usage.InputTokenCount > first.Usage.InputTokenCount);
    }

    [Fact]
    public async Task StructuredOutputFollowsTheJsonSchema()
    {
        var schema = BinaryData.FromString("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""");
        var options = new CreateResponseOptions("deepseek-chat", [ResponseItem.CreateUserMessageItem("json please")])
        {
            TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("answer", schema, jsonSchemaIsStrict: true) },
        };
        ResponseResult response = await _client.CreateResponseAsync(options);
        Assert.Equal(ForgeScripts.JsonAnswer, response.GetOutputText());
        Assert.Equal(ResponseTextFormatKind.JsonSchema, response.TextOptions.TextFormat.Kind);
    }

    [Fact]
    public async Task ReasoningComesAsAReasoningItemBeforeTheMessage()
    {
        ResponseResult response = await _client.CreateResponseAsync("deepseek-reasoner", "Hi");
        Assert.Equal(2, response.OutputItems.Count);
        var reasoning = Assert.IsAssignableFrom<ReasoningResponseItem>(response.OutputItems[0]);
        var json = JsonDocument.Parse(ModelReaderWriter.Write(reasoning).ToString()).RootElement;
        var part = Assert.Single(json.GetProperty("content").EnumerateArray());
        Assert.Equal("reasoning_text", part.GetProperty("type").GetString());
        Assert.Equal(ForgeScripts.DefaultReasoning, part.GetProperty("text").GetString());
        Assert.IsAssignableFrom<MessageResponseItem>(response.OutputItems[1]);
        Assert.Equal(ForgeScripts.DefaultAnswer, response.GetOutputText());
        Assert.True(response.Usage.OutputTokenDetails.ReasoningTokenCount > 0);
    }

    [Fact]
    public async Task ReasoningEffortNoneTurnsThinkingOff()
    {
        var options = new CreateResponseOptions("deepseek-reasoner", [ResponseItem.CreateUserMessageItem("Hi")])
        {
            ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = ResponseReasoningEffortLevel.None },
        };
        ResponseResult response = await _client.CreateResponseAsync(options);
        Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal(ForgeScripts.DefaultAnswer, response.GetOutputText());
    }

    [Fact]
    public async Task AnUnknownModelIsAnSdkErrorWithTheServersMessage()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => _client.CreateResponseAsync("no-such-model", "Hi"));
        Assert.Equal(400, e.Status);
        Assert.Contains("Model Not Exist", e.Message);
    }
}
