using System.ClientModel;
using System.Text;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace InferenceServer.IntegrationTests;

/// <summary>The official OpenAI .NET SDK, pointed at this server, works unchanged.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class OpenAiSdkTests
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private readonly ChatClient _chat;

    public OpenAiSdkTests(DemoServerFixture fixture) =>
        _chat = new ChatClient("deepseek-chat", new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.BaseAddress, "v1") });

    [Fact]
    public async Task CompletesAChatAndReadsUsage()
    {
        ChatCompletion completion = await _chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hi")]);
        Assert.Equal(Answer, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal("deepseek-chat", completion.Model);
    }

    [Fact]
    public async Task StreamsAChatAndReadsUsage()
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in _chat.CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(Answer, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task SdkOptionsMapToTheServersParameters()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 2, Temperature = 0f };
        ChatCompletion completion = await _chat.CompleteChatAsync([new UserChatMessage("Hi")], options);
        Assert.Equal("Hello!", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }
}
