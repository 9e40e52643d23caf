using System.Net;
using InferenceServer.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

/// <summary>The video tab on the forge video model, real FFmpeg and Chromium's own H.264 decoder.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class VideoPlaygroundTests(PlaygroundFixture fixture)
{
    [SkippableFact]
    public async Task A_job_made_in_the_page_runs_to_completed_and_its_mp4_plays_at_the_requested_size()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            var card = await CreateAsync(session, "a red kite over the dunes", size: "128x128", seconds: "1", steps: "2");
            await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
            Assert.Contains("completed · 100%", await card.Locator(".state").TextContentAsync(), StringComparison.Ordinal);

            var video = card.Locator("video");
            Assert.StartsWith("blob:", await video.GetAttributeAsync("src"), StringComparison.Ordinal);
            // HAVE_ENOUGH_DATA, and playing: the decoder read the MP4, not just its header.
            await session.Page.WaitForFunctionAsync("v => v.readyState === 4 && !v.paused && v.currentTime > 0", await video.ElementHandleAsync());
            Assert.Equal(128, await video.EvaluateAsync<int>("v => v.videoWidth"));
            Assert.Equal(128, await video.EvaluateAsync<int>("v => v.videoHeight"));
            Assert.InRange(await video.EvaluateAsync<double>("v => v.duration"), 0.9, 1.1); // 1 s: 8 frames at the forge's 8 fps

            var thumbnail = card.Locator("img.thumbnail");
            await session.Page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await thumbnail.ElementHandleAsync());
            var id = await card.GetAttributeAsync("data-id");
            var link = card.Locator("a.download");
            Assert.Equal(id + ".mp4", await link.GetAttributeAsync("download"));
            var download = await session.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            var mp4 = await File.ReadAllBytesAsync(await download.PathAsync());
            Assert.Equal("ftyp"u8.ToArray(), mp4[4..8]);

            // The server lists its video models nowhere, so the page offers the ones its jobs named.
            Assert.Equal(1, await session.Page.Locator("#video-models option[value='forge-video']").CountAsync());

            // After a reload the key's jobs are listed again; an old one's video is fetched when asked for.
            await session.Page.ReloadAsync();
            await session.ModelsAnsweredAsync();
            await session.TabAsync("video");
            var listed = session.Page.Locator($"#video-jobs .job[data-id='{id}']");
            await Assertions.Expect(listed).ToHaveAttributeAsync("data-status", "completed");
            await listed.Locator("button.load").ClickAsync();
            await session.Page.WaitForFunctionAsync("v => v.readyState === 4 && v.videoWidth === 128", await listed.Locator("video").ElementHandleAsync());
        });
    }

    [SkippableFact]
    public async Task A_running_job_shows_its_progress_and_Delete_cancels_it()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            // 1,000 steps over 97 frames of 256x256: many seconds of denoising (several of the page's polls), each step reported.
            var card = await CreateAsync(session, "a slow river at night", size: "256x256", seconds: "12", steps: "1000");
            await Assertions.Expect(card.Locator(".state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^in progress · [1-9]\d?%$"), new() { Timeout = 60_000 });
            Assert.True(await card.Locator("progress").EvaluateAsync<int>("p => p.value") > 0);
            Assert.Equal("in_progress", await card.GetAttributeAsync("data-status"));
            var id = await card.GetAttributeAsync("data-id");

            await card.Locator("button.delete").ClickAsync();
            await Assertions.Expect(card).ToHaveCountAsync(0);
            using var gone = await fixture.Server.Client.GetAsync($"v1/videos/{id}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            await Assertions.Expect(session.Id("error")).ToBeHiddenAsync();
        });
    }

    [SkippableFact]
    public async Task A_refused_job_shows_the_envelope_message_and_adds_no_card()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await session.ModelsAnsweredAsync();
            await session.TabAsync("video");
            var before = await session.Page.Locator("#video-jobs .job").CountAsync();
            await session.Id("video-prompt").FillAsync("a cat");
            await session.Id("video-size").FillAsync("1920x1080");
            await session.Id("video-create").ClickAsync();

            await Assertions.Expect(session.Id("error")).ToHaveTextAsync("Invalid size '1920x1080': the model 'forge-video' makes 256x256, 128x128, 320x192.");
            Assert.Equal(before, await session.Page.Locator("#video-jobs .job").CountAsync());
        });
    }

    private static async Task<ILocator> CreateAsync(PlaygroundSession session, string prompt, string size, string seconds, string steps)
    {
        await session.ModelsAnsweredAsync();
        await session.TabAsync("video");
        await session.Id("video-prompt").FillAsync(prompt);
        await session.Id("video-negative").FillAsync("blur");
        await session.Id("video-size").FillAsync(size);
        await session.Id("video-seconds").FillAsync(seconds);
        await session.Id("video-seed").FillAsync("5");
        await session.Id("video-steps").FillAsync(steps);
        await session.Id("video-create").ClickAsync();
        var card = session.Page.Locator("#video-jobs .job", new PageLocatorOptions { HasText = prompt });
        await Assertions.Expect(card).ToHaveCountAsync(1);
        return card;
    }
}
