using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// DeepSeek's Sep-2026 request fields on chat and the Anthropic route: <c>reasoning_effort</c> with DeepSeek's mapping,
/// <c>output_config.effort</c>, <c>thinking.budget_tokens</c> and <c>safety_check</c>.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class DeepSeekFieldsTests
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private const string Reasoning = "Scripted reasoning goes first; then comes an answer";
    private readonly HttpClient _client;

    public DeepSeekFieldsTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    private async Task<(HttpResponseMessage Response, JsonElement Body)> AnthropicAsync(object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "anthropic/v1/messages") { Content = Http.Json(body) };
        request.Headers.Add("x-api-key", "sk-local");
        var response = await _client.SendAsync(request);
        return (response, await response.ReadJsonAsync());
    }

    [Theory]
    [InlineData("none", false)]
    [InlineData("low", true)]
    [InlineData("high", true)]
    [InlineData("max", true)]
    [InlineData("minimal", true)]
    [InlineData("medium", true)]
    [InlineData("xhigh", true)]
    [InlineData("ultra", true)]
    public async Task ReasoningEffortTakesDeepSeeksLevelsAndMappedNames(string effort, bool thinks)
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-reasoner", "Hi", new { reasoning_effort = effort }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(Answer, message.GetProperty("content").GetString());
        Assert.Equal(thinks ? Reasoning : null, message.TryGetProperty("reasoning_content", out var r) ? r.GetString() : null);
    }

    [Fact]
    public async Task AnUnknownReasoningEffortIs422NamingTheParameter()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-reasoner", "Hi", new { reasoning_effort = "extreme" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("reasoning_effort", error.GetProperty("param").GetString());
        Assert.Equal(
            "Invalid reasoning_effort 'extreme'; use one of: none, low, high, max (also accepted: minimal as low, medium as high, xhigh as high, ultra as max).",
            error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("high")]
    [InlineData("low")]
    public async Task SafetyCheckLevelsAreAcceptedOnChatAndMessages(string level)
    {
        var (chat, _) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi", new { safety_check = new { level } }));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var (messages, _) = await AnthropicAsync(new { model = "deepseek-chat", max_tokens = 64, safety_check = new { level }, messages = new[] { new { role = "user", content = "Hi" } } });
        Assert.Equal(HttpStatusCode.OK, messages.StatusCode);
    }

    [Fact]
    public async Task AnotherSafetyCheckLevelIs400NamingIt()
    {
        var (chat, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi", new { safety_check = new { level = "medium" } }));
        Assert.Equal(HttpStatusCode.BadRequest, chat.StatusCode);
        Assert.Equal("safety_check.level", body.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("Invalid safety_check.level 'medium'; use 'high' or 'low'.", body.GetProperty("error").GetProperty("message").GetString());

        var (messages, anthropic) = await AnthropicAsync(new { model = "deepseek-chat", max_tokens = 64, safety_check = new { level = "off" }, messages = new[] { new { role = "user", content = "Hi" } } });
        Assert.Equal(HttpStatusCode.BadRequest, messages.StatusCode);
        Assert.Equal("error", anthropic.GetProperty("type").GetString());
        Assert.Equal("Invalid safety_check.level 'off'; use 'high' or 'low'.", anthropic.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ThinkingBudgetTokensIsAcceptedAndIgnoredOnChat()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi", new { thinking = new { type = "enabled", budget_tokens = 2 } }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(Reasoning, message.GetProperty("reasoning_content").GetString());
        Assert.Equal(Answer, message.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("none", false)]
    [InlineData("medium", true)]
    [InlineData("max", true)]
    public async Task OutputConfigEffortSetsTheEffortOnTheAnthropicRoute(string effort, bool thinks)
    {
        var (response, body) = await AnthropicAsync(new
        {
            model = "deepseek-reasoner",
            max_tokens = 256,
            output_config = new { effort },
            messages = new[] { new { role = "user", content = "Hi" } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var types = body.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("type").GetString());
        Assert.Equal(thinks ? ["thinking", "text"] : ["text"], types);
    }

    [Fact]
    public async Task AnUnknownOutputConfigEffortIs400()
    {
        var (response, body) = await AnthropicAsync(new { model = "deepseek-reasoner", max_tokens = 64, output_config = new { effort = "extreme" }, messages = new[] { new { role = "user", content = "Hi" } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("output_config.effort: Invalid effort 'extreme'; use one of: none, low, high, max", body.GetProperty("error").GetProperty("message").GetString());
    }
}
