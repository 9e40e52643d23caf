using System.Text.Json;
using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.ModelForge.Demo;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

[Collection(PlaygroundCollection.Name)]
public sealed class ChatPlaygroundTests(PlaygroundFixture fixture)
{
    private const string WeatherTools = """[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]""";

    [SkippableFact]
    public async Task A_streamed_reply_shows_the_reasoning_block_then_the_answer_and_exports_as_json()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await SendAsync(session, "deepseek-reasoner", "hi");
            var turn = await FinishedTurnAsync(session);

            Assert.Equal(ForgeScripts.DefaultReasoning, await turn.Locator("details.reasoning .reasoning-text").TextContentAsync());
            Assert.Equal(ForgeScripts.DefaultAnswer, await turn.Locator(".content").TextContentAsync());
            var stats = await turn.Locator(".stats").TextContentAsync();
            Assert.Contains("finish: stop", stats, StringComparison.Ordinal);
            Assert.Matches(@"tokens: \d+ in, \d+ out · cache hits: \d+ · TTFT \d+ ms · \d+(\.\d)? tokens/s$", stats);
            Assert.Contains("thinking: yes, on by default", await session.Id("chat-model-info").TextContentAsync(), StringComparison.Ordinal);

            var download = await session.Page.RunAndWaitForDownloadAsync(() => session.Id("chat-export").ClickAsync());
            using var exported = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync()));
            var turns = exported.RootElement.GetProperty("turns");
            Assert.Equal("hi", turns[0].GetProperty("content").GetString());
            Assert.Equal(ForgeScripts.DefaultAnswer, turns[1].GetProperty("content").GetString());
            Assert.Equal(ForgeScripts.DefaultReasoning, turns[1].GetProperty("reasoning_content").GetString());
            Assert.True(turns[1].GetProperty("stats").GetProperty("completion_tokens").GetInt32() > 0);
        });
    }

    [SkippableFact]
    public async Task Stop_aborts_the_endless_stream_and_the_one_slot_serves_the_next_request()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await SendAsync(session, "deepseek-chat", "forever");
            var endless = session.Page.Locator(".turn.assistant").Last;
            await Assertions.Expect(endless.Locator(".content")).ToContainTextAsync(ForgeScripts.ForeverStart + " tick");
            await session.Id("chat-stop").ClickAsync();
            await Assertions.Expect(endless).ToHaveAttributeAsync("data-state", "stopped");
            Assert.Contains("finish: stopped", await endless.Locator(".stats").TextContentAsync(), StringComparison.Ordinal);

            // The server has one sequence slot: this request completes only if the stopped one gave it back (a fresh
            // conversation, as the stopped reply fills much of the demo model's 2,048-token context).
            await session.Id("chat-clear").ClickAsync();
            await SendAsync(session, "deepseek-chat", "hi");
            var next = await FinishedTurnAsync(session);
            Assert.Equal(ForgeScripts.DefaultAnswer, await next.Locator(".content").TextContentAsync());
        });
    }

    [SkippableFact]
    public async Task A_tool_call_is_shown_as_a_call_with_its_arguments()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await session.Id("chat-tools").FillAsync(WeatherTools);
            await SendAsync(session, "deepseek-chat", "weather in Paris?");
            var turn = await FinishedTurnAsync(session);

            Assert.Equal($"{ForgeScripts.WeatherTool}({ForgeScripts.WeatherArguments})", await turn.Locator(".tool-call").TextContentAsync());
            Assert.Contains("finish: tool_calls", await turn.Locator(".stats").TextContentAsync(), StringComparison.Ordinal);
        });
    }

    [SkippableFact]
    public async Task Markup_in_a_message_and_in_an_error_message_renders_as_text()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        const string model = "<img src=x onerror=\"window.__xss=1\">";
        const string message = "<script>window.__xss=2</script><img src=x onerror=\"window.__xss=3\"> **bold**";
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await SendAsync(session, model, message);
            await Assertions.Expect(session.Page.Locator(".turn.assistant").Last).ToHaveAttributeAsync("data-state", "failed");

            // The server's envelope echoes the model name; the page shows it as the text it is.
            Assert.Equal($"Model Not Exist: '{model}'. GET /models lists the models this server has.", await session.Id("error").TextContentAsync());
            Assert.Equal(message, await session.Page.Locator(".turn.user .content").TextContentAsync());
            Assert.Equal(0, await session.Page.Locator("#chat-log img, #chat-log script, #error img, #error script").CountAsync());
            Assert.Equal("undefined", await session.Page.EvaluateAsync<string>("() => typeof window.__xss"));
        });
    }

    internal static async Task SendAsync(PlaygroundSession session, string model, string message)
    {
        await session.ModelsAnsweredAsync();
        await session.Id("chat-model").FillAsync(model);
        await session.Id("chat-input").FillAsync(message);
        await session.Id("chat-send").ClickAsync();
    }

    internal static async Task<ILocator> FinishedTurnAsync(PlaygroundSession session)
    {
        var turn = session.Page.Locator(".turn.assistant").Last;
        await Assertions.Expect(turn).ToHaveAttributeAsync("data-state", "done");
        return turn;
    }
}
