using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

/// <summary>Retakes the README's screenshots (docs/playground-{chat,video,status}.png): UPDATE_SCREENSHOTS=1.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ReadmeScreenshots(PlaygroundFixture fixture)
{
    private const string WeatherTools = """[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]""";

    [SkippableFact]
    public async Task Chat_video_and_status_pages()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1", "Set UPDATE_SCREENSHOTS=1 to retake the README's screenshots.");
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.Page.SetViewportSizeAsync(1100, 640);

        await ChatPlaygroundTests.SendAsync(session, "deepseek-reasoner", "Say hello.");
        await ChatPlaygroundTests.FinishedTurnAsync(session);
        await session.Page.Locator("details.reasoning").Last.EvaluateAsync("d => d.open = true");
        await session.Id("chat-tools").FillAsync(WeatherTools);
        await ChatPlaygroundTests.SendAsync(session, "deepseek-reasoner", "weather in Paris?");
        await ChatPlaygroundTests.FinishedTurnAsync(session);
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Repository.File("docs", "playground-chat.png") });

        await session.TabAsync("video");
        await session.Id("video-prompt").FillAsync("green waves on the sea");
        await session.Id("video-size").FillAsync("256x256");
        await session.Id("video-seed").FillAsync("42");
        await session.Id("video-create").ClickAsync();
        var card = session.Page.Locator("#video-jobs .job").First;
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 120_000 });
        await session.Page.WaitForFunctionAsync("v => v.readyState === 4 && v.currentTime > 0.5", await card.Locator("video").ElementHandleAsync());
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Repository.File("docs", "playground-video.png") });

        await session.TabAsync("status");
        for (var i = 0; i < 6; i++)
        {
            await fixture.Server.Client.PostJsonAsync("chat/completions", new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "hi" } } });
            await Assertions.Expect(session.Page.Locator("#chart-generated")).ToHaveAttributeAsync("data-samples", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Repository.File("docs", "playground-status.png") });
    }
}
