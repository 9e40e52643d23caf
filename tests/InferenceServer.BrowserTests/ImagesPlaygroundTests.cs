using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Janus;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

[Collection(PlaygroundCollection.Name)]
public sealed class ImagesPlaygroundTests(PlaygroundFixture fixture)
{
    [SkippableFact]
    public async Task A_generated_image_lands_in_the_gallery_with_a_download_link()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await session.ModelsAnsweredAsync();
            await session.TabAsync("images");
            await session.Id("image-prompt").FillAsync("a lighthouse at dusk");
            await session.Id("image-negative").FillAsync("fog");
            await session.Id("image-size").FillAsync("64x64");
            await session.Id("image-steps").FillAsync("2");
            await session.Id("image-seed").FillAsync("7");
            await session.Id("image-generate").ClickAsync();

            var figure = session.Page.Locator("#image-gallery figure");
            await Assertions.Expect(figure).ToHaveCountAsync(1);
            await session.Page.WaitForFunctionAsync("() => document.querySelector('#image-gallery img').complete");
            Assert.Equal(64, await figure.Locator("img").EvaluateAsync<int>("img => img.naturalWidth"));
            Assert.Equal(64, await figure.Locator("img").EvaluateAsync<int>("img => img.naturalHeight"));
            var link = figure.Locator("a", new LocatorLocatorOptions { HasText = "Download" });
            Assert.Equal("image-7-0.png", await link.GetAttributeAsync("download"));
            Assert.StartsWith("data:image/png;base64,", await link.GetAttributeAsync("href"), StringComparison.Ordinal);

            var download = await session.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            var png = await File.ReadAllBytesAsync(await download.PathAsync());
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

            // The form's fields all went out: the API, asked the same directly, draws the same bytes for the seed.
            var model = await session.Id("image-model").InputValueAsync();
            var (_, direct) = await fixture.Server.Client.PostJsonAsync("v1/images/generations", new
            {
                model,
                prompt = "a lighthouse at dusk",
                negative_prompt = "fog",
                size = "64x64",
                steps = 2,
                seed = 7,
                n = 1,
                response_format = "b64_json",
            });
            Assert.Equal(Convert.ToBase64String(png), direct.GetProperty("data")[0].GetProperty("b64_json").GetString());
        });
    }

    [SkippableFact]
    public async Task Choosing_the_Janus_chat_model_in_the_images_tab_takes_its_size_and_it_draws_there()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        var settings = new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "janus-pro-forge",
            ["Models:0:Path"] = JanusModels.EnsureScripted(TestServer.ModelCache),
            ["Models:0:Thinking"] = "disabled",
            ["Models:0:MaxConcurrentSequences"] = "2",
        };
        await using var server = await TestServer.StartAsync(settings);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await session.ModelsAnsweredAsync();
            await session.TabAsync("images");
            // forge-diffusion first (image models come before chat models that also draw), at the form's 64x64;
            // choosing Janus takes its one size, forge-diffusion again one of its own.
            await Assertions.Expect(session.Id("image-model")).ToHaveValueAsync("forge-diffusion");
            await Assertions.Expect(session.Id("image-size")).ToHaveValueAsync("64x64");
            await session.Id("image-model").SelectOptionAsync("janus-pro-forge");
            await Assertions.Expect(session.Id("image-size")).ToHaveValueAsync("384x384");
            await session.Id("image-model").SelectOptionAsync("forge-diffusion");
            await Assertions.Expect(session.Id("image-size")).ToHaveValueAsync("256x256");
            await session.Id("image-model").SelectOptionAsync("janus-pro-forge");
            await Assertions.Expect(session.Id("image-size")).ToHaveValueAsync("384x384");
            await session.Id("image-prompt").FillAsync("a fox (forever)");
            await session.Id("image-seed").FillAsync("9");
            await session.Id("image-generate").ClickAsync();

            var image = session.Page.Locator("#image-gallery figure img");
            await Assertions.Expect(image).ToHaveCountAsync(1);
            await session.Page.WaitForFunctionAsync("() => document.querySelector('#image-gallery img').complete");
            Assert.Equal(384, await image.EvaluateAsync<int>("img => img.naturalWidth"));

            var (_, direct) = await server.Client.PostJsonAsync("v1/images/generations", new
            {
                model = "janus-pro-forge",
                prompt = "a fox (forever)",
                size = "384x384",
                seed = 9,
                n = 1,
                response_format = "b64_json",
            });
            Assert.Equal("data:image/png;base64," + direct.GetProperty("data")[0].GetProperty("b64_json").GetString(), await image.GetAttributeAsync("src"));
        });
    }
}
