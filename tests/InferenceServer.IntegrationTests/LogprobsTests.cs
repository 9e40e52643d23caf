using System.Net;
using System.Text;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary><c>logprobs</c> / <c>top_logprobs</c> in chat: one entry per generated token, for content and reasoning.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class LogprobsTests
{
    private readonly HttpClient _client;

    public LogprobsTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task EachContentTokenHasItsTextBytesAndTopAlternatives()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions",
            ChatBody("deepseek-chat", "Hi", new { logprobs = true, top_logprobs = 3, max_tokens = 5 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        var content = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(5, content.Count);
        Assert.Equal(choice.GetProperty("message").GetProperty("content").GetString(), string.Concat(content.Select(t => t.GetProperty("token").GetString())));
        foreach (var t in content)
        {
            var bytes = t.GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray();
            Assert.Equal(t.GetProperty("token").GetString(), Encoding.UTF8.GetString(bytes));
            Assert.True(t.GetProperty("logprob").GetDouble() <= 0);
            var top = t.GetProperty("top_logprobs").EnumerateArray().ToList();
            Assert.Equal(3, top.Count);
            Assert.Equal(t.GetProperty("token").GetString(), top[0].GetProperty("token").GetString());
        }
    }

    [Fact]
    public async Task ReasoningTokensAreReportedSeparately()
    {
        var (_, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-reasoner", "Hi", new { logprobs = true, max_tokens = 4 }));
        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(4, logprobs.GetProperty("reasoning_content").GetArrayLength());
        Assert.Equal(0, logprobs.GetProperty("content").GetArrayLength());
    }
}
