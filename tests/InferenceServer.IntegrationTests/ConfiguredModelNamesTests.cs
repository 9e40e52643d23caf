using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Demo;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// Configured models take DeepSeek's current and retired names as aliases, each with its own thinking default, and the
/// Anthropic route's <c>claude*</c> mapping lands on whichever model carries the mapped name.
/// </summary>
public sealed class ConfiguredModelNamesTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var folder = DemoModels.EnsureScripted(TestServer.ModelCache);
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "local-pro",
            ["Models:0:Path"] = folder,
            ["Models:0:Thinking"] = "enabled",
            ["Models:0:Aliases:0:Name"] = "deepseek-v4-pro",
            ["Models:0:Aliases:1:Name"] = "deepseek-reasoner",
            ["Models:1:Id"] = "local-flash",
            ["Models:1:Path"] = folder,
            ["Models:1:Thinking"] = "enabled",
            ["Models:1:Aliases:0:Name"] = "deepseek-v4-flash",
            ["Models:1:Aliases:0:Thinking"] = "disabled",
            ["Models:1:Aliases:1:Name"] = "deepseek-chat",
            ["Models:1:Aliases:1:Thinking"] = "disabled",
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ModelsListsEveryConfiguredNameWithItsThinkingDefault()
    {
        var body = await (await _server.Client.GetAsync("v1/models")).ReadJsonAsync();
        var thinking = body.GetProperty("data").EnumerateArray().ToDictionary(
            m => m.GetProperty("id").GetString()!,
            m => m.GetProperty("capabilities").GetProperty("thinking_by_default").GetBoolean());
        Assert.True(thinking["local-pro"]);
        Assert.True(thinking["deepseek-v4-pro"]);
        Assert.True(thinking["deepseek-reasoner"]);
        Assert.True(thinking["local-flash"]);
        Assert.False(thinking["deepseek-v4-flash"]);
        Assert.False(thinking["deepseek-chat"]);
    }

    [Theory]
    [InlineData("deepseek-v4-pro", true)]
    [InlineData("deepseek-reasoner", true)]
    [InlineData("deepseek-v4-flash", false)]
    [InlineData("deepseek-chat", false)]
    public async Task EachAliasAnswersWithItsOwnDefault(string model, bool thinks)
    {
        var (response, body) = await _server.Client.PostJsonAsync("chat/completions", ChatBodies.ChatBody(model, "Hi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(ForgeScripts.DefaultAnswer, message.GetProperty("content").GetString());
        Assert.Equal(thinks, message.TryGetProperty("reasoning_content", out var reasoning) && reasoning.GetString() is { Length: > 0 });
    }

    [Theory]
    [InlineData("claude-opus-4-1", true)]
    [InlineData("claude-sonnet-4-5", false)]
    [InlineData("claude-haiku-4-5", false)]
    public async Task ClaudeNamesLandOnTheModelThatCarriesTheMappedName(string model, bool thinks)
    {
        var (response, body) = await _server.Client.PostJsonAsync("anthropic/v1/messages", new { model, max_tokens = 256, messages = new[] { new { role = "user", content = "Hi" } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var types = body.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("type").GetString()).ToArray();
        Assert.Equal(thinks ? ["thinking", "text"] : ["text"], types);
    }
}
