using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>Chat prefix completion (beta): a last assistant message with <c>prefix: true</c> is continued, not answered.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class PrefixCompletionTests
{
    private readonly HttpClient _client;

    public PrefixCompletionTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task TheReplyContinuesTheAssistantPrefix()
    {
        var messages = new object[] { new { role = "user", content = "Hi" }, new { role = "assistant", content = "Hello!", prefix = true } };
        var (response, body) = await _client.PostJsonAsync("beta/chat/completions", new { model = "deepseek-chat", messages });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(" This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.",
            body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task InThinkingModeAReasoningPrefixIsContinuedAsReasoning()
    {
        var messages = new object[]
        {
            new { role = "user", content = "Hi" },
            new { role = "assistant", content = "", reasoning_content = "Scripted reasoning", prefix = true },
        };
        var (_, body) = await _client.PostJsonAsync("beta/chat/completions", new { model = "deepseek-reasoner", messages });
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(" goes first; then comes an answer", message.GetProperty("reasoning_content").GetString());
        Assert.StartsWith("Hello! This is", message.GetProperty("content").GetString());
    }
}
