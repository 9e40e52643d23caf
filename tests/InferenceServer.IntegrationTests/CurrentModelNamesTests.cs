using System.ClientModel;
using System.Net;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// With nothing configured the demo answers to DeepSeek's current names (thinking on by default, as DeepSeek's current
/// models) and to the retired ones with their old defaults, so an app copied from today's docs works on its first call.
/// </summary>
public sealed class CurrentModelNamesTests : IClassFixture<BuiltInDemoFixture>, IDisposable
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private const string Reasoning = "Scripted reasoning goes first; then comes an answer";
    private readonly TestServer _server;
    private readonly AnthropicClient _anthropic;

    public CurrentModelNamesTests(BuiltInDemoFixture fixture)
    {
        _server = fixture.Server;
        _anthropic = new AnthropicClient(new ClientOptions
        {
            BaseUrl = new Uri(_server.BaseAddress, "anthropic").ToString(),
            ApiKey = "sk-local",
            MaxRetries = 0,
        });
    }

    public void Dispose() => _anthropic.Dispose();

    [Fact]
    public async Task ModelsListsTheCurrentAndTheRetiredNames()
    {
        var body = await (await _server.Client.GetAsync("v1/models")).ReadJsonAsync();
        var models = body.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(
            ["all-MiniLM-L6-v2", "deepseek-chat", "deepseek-flash", "deepseek-reasoner", "deepseek-v4-flash", "deepseek-v4-flash-vision-exp", "deepseek-v4-pro", "forge-diffusion", "forge-video", "forge-video-i2v", "janus-pro-forge", "stories-260k"],
            models.Keys.Order(StringComparer.Ordinal));
        foreach (var name in (string[])["deepseek-flash", "deepseek-v4-pro", "deepseek-v4-flash", "deepseek-v4-flash-vision-exp", "deepseek-reasoner"])
        {
            Assert.True(models[name].GetProperty("capabilities").GetProperty("thinking_by_default").GetBoolean(), name);
        }

        Assert.False(models["deepseek-chat"].GetProperty("capabilities").GetProperty("thinking_by_default").GetBoolean());
    }

    [Theory]
    [InlineData("deepseek-flash")]
    [InlineData("deepseek-v4-pro")]
    [InlineData("deepseek-v4-flash")]
    [InlineData("deepseek-v4-flash-vision-exp")]
    [InlineData("deepseek-reasoner")]
    public async Task TheCurrentNamesThinkByDefault(string model)
    {
        var (response, body) = await _server.Client.PostJsonAsync("chat/completions", ChatBodies.ChatBody(model, "Hi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(model, body.GetProperty("model").GetString());
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(Reasoning, message.GetProperty("reasoning_content").GetString());
        Assert.Equal(Answer, message.GetProperty("content").GetString());
    }

    [Fact]
    public async Task TheRetiredDeepSeekChatKeepsThinkingOffAndACurrentNameTurnsItOffOnRequest()
    {
        var (_, chat) = await _server.Client.PostJsonAsync("chat/completions", ChatBodies.ChatBody("deepseek-chat", "Hi"));
        Assert.False(chat.GetProperty("choices")[0].GetProperty("message").TryGetProperty("reasoning_content", out _));

        var (_, off) = await _server.Client.PostJsonAsync("chat/completions", ChatBodies.ChatBody("deepseek-flash", "Hi", new { thinking = new { type = "disabled" } }));
        var message = off.GetProperty("choices")[0].GetProperty("message");
        Assert.False(message.TryGetProperty("reasoning_content", out _));
        Assert.Equal(Answer, message.GetProperty("content").GetString());
    }

    [Fact]
    public async Task TheOpenAiSdkTalksToDeepSeekFlash()
    {
        var chat = new ChatClient("deepseek-flash", new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1") });
        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Hi")]);
        Assert.Equal(Answer, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("deepseek-flash", completion.Model);
        Assert.True(completion.Usage.OutputTokenDetails.ReasoningTokenCount > 0);
    }

    [Theory]
    [InlineData("claude-opus-4-1")]
    [InlineData("claude-sonnet-4-5")]
    [InlineData("claude-haiku-4-5")]
    [InlineData("claude-3-7-something-else")]
    public async Task ClaudeNamesLandOnAServedThinkingModelThroughTheAnthropicSdk(string model)
    {
        Message message = await _anthropic.Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 256,
            Messages = [new UserMessageParam("Hi")],
        });
        Assert.Equal(2, message.Content.Count);
        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.Equal(Reasoning, thinking.Thinking);
        Assert.True(message.Content[1].TryPickText(out var text));
        Assert.Equal(Answer, text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
    }
}
