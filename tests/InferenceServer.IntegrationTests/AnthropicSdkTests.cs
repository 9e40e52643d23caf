using System.Text;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>The official Anthropic .NET SDK, pointed at this server's <c>/anthropic</c> endpoint, works unchanged.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class AnthropicSdkTests : IDisposable
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private readonly AnthropicClient _client;

    public AnthropicSdkTests(DemoServerFixture fixture) =>
        _client = new AnthropicClient(new ClientOptions
        {
            BaseUrl = new Uri(fixture.Server.BaseAddress, "anthropic").ToString(),
            ApiKey = "sk-local",
            MaxRetries = 0,
        });

    public void Dispose() => _client.Dispose();

    private static MessageCreateParams Hi() => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 256,
        Messages = [new UserMessageParam("Hi")],
    };

    [Fact]
    public async Task CreatesAMessageAndReadsUsage()
    {
        Message message = await _client.Messages.Create(Hi());
        var block = Assert.Single(message.Content);
        Assert.True(block.TryPickText(out var text));
        Assert.Equal(Answer, text.Text);
        Assert.NotNull(message.StopReason);
        Assert.Equal(StopReason.EndTurn, message.StopReason.Value());
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task StreamsAMessageAsTextDeltas()
    {
        var text = new StringBuilder();
        await foreach (var streamEvent in _client.Messages.CreateStreaming(Hi()))
        {
            if (streamEvent.TryPickContentBlockDelta(out var blockDelta) && blockDelta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
        }

        Assert.Equal(Answer, text.ToString());
    }
}
