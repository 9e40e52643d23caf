using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

[Collection(PlaygroundCollection.Name)]
public sealed class ApiKeyPlaygroundTests(PlaygroundFixture fixture)
{
    private const string Key = "sk-playground-browser-test";

    [SkippableFact]
    public async Task On_a_key_protected_server_the_page_loads_shows_the_401_and_works_once_the_key_is_typed()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        var settings = PlaygroundFixture.Settings();
        settings["Auth:Keys:0"] = Key;
        await using var server = await TestServer.StartAsync(settings);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await session.ModelsAnsweredAsync();
            await Assertions.Expect(session.Id("error")).ToHaveTextAsync(
                "Authentication Fails: no API key. Send the header Authorization: Bearer KEY, or x-api-key: KEY.");

            await session.Id("api-key").FillAsync(Key);
            await session.Id("api-key").DispatchEventAsync("change");
            await Assertions.Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-models", "loaded");
            await Assertions.Expect(session.Id("error")).ToBeHiddenAsync();

            await ChatPlaygroundTests.SendAsync(session, "deepseek-chat", "hi");
            var turn = await ChatPlaygroundTests.FinishedTurnAsync(session);
            Assert.Equal(ForgeScripts.DefaultAnswer, await turn.Locator(".content").TextContentAsync());

            // Kept in the browser: a reload has the key still.
            await session.Page.ReloadAsync();
            await Assertions.Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-models", "loaded");
            Assert.Equal(Key, await session.Id("api-key").InputValueAsync());
        });
    }
}
