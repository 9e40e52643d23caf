using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// A server whose one model is the scripted forge model with a Qwen-style tokenizer (<c>&lt;tool_call&gt;</c> one added
/// token, no DeepSeek tool-call markers), served as <c>qwen-chat</c> with thinking off.
/// </summary>
public sealed class HermesServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scripted = DemoModels.EnsureScriptedHermes(TestServer.ModelCache);
        Server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "qwen-chat",
            ["Models:0:Path"] = scripted,
            ["Models:0:Thinking"] = "disabled",
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
