using System.Net;
using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

/// <summary>What the page does on servers that lack a feature, or that have the page turned off.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class PlaygroundAvailabilityTests(PlaygroundFixture fixture) : IDisposable
{
    private readonly string _videos = Path.Combine(Path.GetTempPath(), "inferenceserver-playground-availability-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_videos))
        {
            Directory.Delete(_videos, recursive: true);
        }
    }

    [SkippableFact]
    public async Task On_a_server_with_one_text_model_the_images_video_embeddings_and_image_input_tabs_are_disabled_saying_why()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        var settings = TextOnly();
        settings["Images:Enabled"] = "false";
        settings["Videos:Enabled"] = "false";
        await using var server = await TestServer.StartAsync(settings);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await Assertions.Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-models", "loaded");
            foreach (var (tab, reason) in new[]
            {
                ("images", "No image model is loaded: none lists \"image\" in its /models output_modalities."),
                ("embeddings", "No embedding model is loaded: none lists \"embedding\" in its /models output_modalities."),
                ("video", "No video model is loaded: none lists \"video\" in its /models output_modalities."),
                ("vision", "No model here takes image input: none lists \"image\" in its /models input_modalities."),
            })
            {
                var button = session.Page.Locator($"#tabs button[data-tab='{tab}']");
                await Assertions.Expect(button).ToBeDisabledAsync();
                Assert.Equal(reason, await button.GetAttributeAsync("title"));
            }

            await Assertions.Expect(session.Id("unavailable")).ToHaveTextAsync(
                "Image generation is off: no image model is loaded. Embeddings are off: no embedding model is loaded. "
                + "Video generation is off: no video model is loaded. Image input is off: no model here takes images. Their tabs are disabled.");
            await Assertions.Expect(session.Page.Locator("#tabs button[data-tab='chat']")).ToBeEnabledAsync();
            await Assertions.Expect(session.Page.Locator("#tabs button[data-tab='status']")).ToBeEnabledAsync();
            Assert.Equal(
                "deepseek-chat takes text only, and no model here takes images (none lists \"image\" in its /models input_modalities).",
                await session.Id("chat-attach-reason").TextContentAsync());
        });
    }

    [SkippableFact]
    public async Task With_Playground_Enabled_false_the_browser_gets_a_404_envelope_and_no_page()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        var settings = TextOnly();
        settings["Playground:Enabled"] = "false";
        await using var server = await TestServer.StartAsync(settings);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, server.BaseAddress, path: "/models");
        await session.RunAsync(async () =>
        {
            foreach (var path in new[] { "/", "/playground", "/playground/app.js" })
            {
                var response = await session.Page.GotoAsync(new Uri(server.BaseAddress, path).ToString());
                Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
                Assert.Contains("\"error\"", await session.Page.Locator("body").TextContentAsync(), StringComparison.Ordinal);
                Assert.Equal(0, await session.Page.Locator("#tabs").CountAsync());
            }
        });
    }

    /// <summary>The scripted model as deepseek-chat and nothing else configured.</summary>
    private Dictionary<string, string?> TextOnly() => new()
    {
        ["Models:0:Id"] = "deepseek-chat",
        ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
        ["Videos:Directory"] = _videos,
    };
}
