using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
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
}
