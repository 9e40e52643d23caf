using System.Text.Json.Nodes;
using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Vision;
using Microsoft.Playwright;
using SkiaSharp;

namespace InferenceServer.BrowserTests;

/// <summary>
/// Images attached to a chat turn, answered by the fixture's real vision model (the forge phi3v folder, which names
/// the dominant colour of the last picture); its text models keep attaching shut, naming the model that takes images.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ChatAttachmentTests(PlaygroundFixture fixture)
{
    private static readonly byte[] Red = TestImages.Solid(4, 4, SKColors.Red);
    private static readonly byte[] Green = TestImages.Solid(4, 4, SKColors.Green);
    private static readonly byte[] Blue = TestImages.Solid(4, 4, SKColors.Blue);

    [SkippableFact]
    public async Task On_a_text_model_attaching_is_disabled_naming_the_vision_model_and_the_image_input_tab_picks_it()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await Assertions.Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-models", "loaded");
            Assert.Equal("deepseek-reasoner", await session.Id("chat-model").InputValueAsync());
            await Assertions.Expect(session.Id("chat-attach")).ToBeDisabledAsync();
            Assert.Equal(
                $"deepseek-reasoner takes text only; to attach images pick {PlaygroundFixture.VisionModel}.",
                await session.Id("chat-attach-reason").TextContentAsync());
            Assert.StartsWith("input: text ·", await session.Id("chat-model-info").TextContentAsync(), StringComparison.Ordinal);

            // A pasted image on a text-only model is refused in the page, not sent.
            await PasteAsync(session, Red, "red.png");
            await Assertions.Expect(session.Id("error")).ToContainTextAsync("takes text only");
            Assert.Equal(0, await session.Page.Locator("#chat-attachments img").CountAsync());

            var tab = session.Page.Locator("#tabs button[data-tab='vision']");
            await Assertions.Expect(tab).ToBeEnabledAsync();
            await tab.ClickAsync();
            Assert.Equal(PlaygroundFixture.VisionModel, await session.Id("chat-model").InputValueAsync());
            await Assertions.Expect(session.Id("chat-attach")).ToBeEnabledAsync();
            Assert.StartsWith("input: text, image, video · thinking: yes", await session.Id("chat-model-info").TextContentAsync(), StringComparison.Ordinal);
            Assert.Equal(string.Empty, await session.Id("chat-attach-reason").TextContentAsync());
        });
    }

    [SkippableFact]
    public async Task Images_attached_by_picker_paste_and_drop_go_out_as_data_url_parts_and_the_vision_model_answers_about_them()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await Assertions.Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-models", "loaded");
            await session.TabAsync("vision");
            await Assertions.Expect(session.Id("chat-attach")).ToBeEnabledAsync();

            await session.Id("chat-attach").SetInputFilesAsync(new FilePayload { Name = "red.png", MimeType = "image/png", Buffer = Red });
            await PasteAsync(session, Green, "green.png");
            await DropAsync(session, Blue, "blue.png");
            var thumbnails = session.Page.Locator("#chat-attachments img");
            await Assertions.Expect(thumbnails).ToHaveCountAsync(3);
            Assert.Equal(DataUrl(Green), await thumbnails.Nth(1).GetAttributeAsync("src"));
            await session.Page.Locator("#chat-attachments .remove").Nth(1).ClickAsync(); // green goes
            await Assertions.Expect(thumbnails).ToHaveCountAsync(2);

            await session.Id("chat-input").FillAsync("which colour is the last one?");
            var sent = await session.Page.RunAndWaitForRequestAsync(() => session.Id("chat-send").ClickAsync(), "**/chat/completions");
            var content = JsonNode.Parse(sent.PostData!)!["messages"]!.AsArray()[^1]!["content"]!.AsArray();
            Assert.Equal(3, content.Count);
            Assert.Equal("text", (string?)content[0]!["type"]);
            Assert.Equal("which colour is the last one?", (string?)content[0]!["text"]);
            Assert.Equal("image_url", (string?)content[1]!["type"]);
            Assert.Equal(DataUrl(Red), (string?)content[1]!["image_url"]!["url"]);
            Assert.Equal(DataUrl(Blue), (string?)content[2]!["image_url"]!["url"]);

            // In the transcript, gone from the composer; the model names the last picture's colour.
            var turn = session.Page.Locator(".turn.user").Last;
            await Assertions.Expect(turn.Locator(".attachments img")).ToHaveCountAsync(2);
            Assert.Equal(DataUrl(Blue), await turn.Locator(".attachments img").Nth(1).GetAttributeAsync("src"));
            Assert.Equal(0, await thumbnails.CountAsync());
            var reply = await ChatPlaygroundTests.FinishedTurnAsync(session);
            Assert.Equal(VisionScripts.Answer("blue"), await reply.Locator(".content").TextContentAsync());

            // The next turn sends the conversation again with its pictures; a new one changes the answer.
            await session.Id("chat-attach").SetInputFilesAsync(new FilePayload { Name = "green.png", MimeType = "image/png", Buffer = Green });
            await session.Id("chat-input").FillAsync("and now?");
            await session.Id("chat-send").ClickAsync();
            await Assertions.Expect(session.Page.Locator(".turn.assistant")).ToHaveCountAsync(2);
            var second = await ChatPlaygroundTests.FinishedTurnAsync(session);
            Assert.Equal(VisionScripts.Answer("green"), await second.Locator(".content").TextContentAsync());
        });
    }

    [SkippableFact]
    public async Task A_video_attached_to_the_vision_model_goes_out_as_a_video_url_part_and_its_last_frame_is_named()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        var mp4 = await TestVideos.Mp4Async("red", "blue");
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await Assertions.Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-models", "loaded");
            await session.TabAsync("vision");
            Assert.Contains("input: text, image, video", await session.Id("chat-model-info").TextContentAsync(), StringComparison.Ordinal);
            Assert.Equal("image/*,video/*", await session.Id("chat-attach").GetAttributeAsync("accept"));

            await session.Id("chat-attach").SetInputFilesAsync(new FilePayload { Name = "clip.mp4", MimeType = "video/mp4", Buffer = mp4 });
            await Assertions.Expect(session.Page.Locator("#chat-attachments .video-chip")).ToHaveTextAsync("▶ clip.mp4");
            await session.Id("chat-input").FillAsync("what colour is it at the end?");
            var sent = await session.Page.RunAndWaitForRequestAsync(() => session.Id("chat-send").ClickAsync(), "**/chat/completions");
            var part = JsonNode.Parse(sent.PostData!)!["messages"]!.AsArray()[^1]!["content"]!.AsArray()[1]!;
            Assert.Equal("video_url", (string?)part["type"]);
            Assert.Equal("data:video/mp4;base64," + Convert.ToBase64String(mp4), (string?)part["video_url"]!["url"]);
            Assert.Equal(["type", "video_url"], part.AsObject().Select(p => p.Key));

            // One frame a second: red, then blue; the model names the last picture it saw.
            await Assertions.Expect(session.Page.Locator(".turn.user").Last.Locator(".video-chip")).ToHaveTextAsync("▶ clip.mp4");
            var reply = await ChatPlaygroundTests.FinishedTurnAsync(session);
            Assert.Equal(VisionScripts.Answer("blue"), await reply.Locator(".content").TextContentAsync());

            // A text model takes no video: switching drops it from the composer.
            await session.Id("chat-attach").SetInputFilesAsync(new FilePayload { Name = "clip.mp4", MimeType = "video/mp4", Buffer = mp4 });
            await Assertions.Expect(session.Page.Locator("#chat-attachments .video-chip")).ToHaveCountAsync(1);
            await session.Id("chat-model").FillAsync("deepseek-chat");
            await Assertions.Expect(session.Page.Locator("#chat-attachments .video-chip")).ToHaveCountAsync(0);
            await Assertions.Expect(session.Id("chat-attach")).ToBeDisabledAsync();
        });
    }

    private static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static Task PasteAsync(PlaygroundSession session, byte[] png, string name) =>
        session.Id("chat-input").EvaluateAsync(
            "(input, [b64, name]) => { const data = new DataTransfer(); data.items.add(new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], name, { type: 'image/png' })); input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })); }",
            new[] { Convert.ToBase64String(png), name });

    private static Task DropAsync(PlaygroundSession session, byte[] png, string name) =>
        session.Id("chat-form").EvaluateAsync(
            "(form, [b64, name]) => { const data = new DataTransfer(); data.items.add(new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], name, { type: 'image/png' })); for (const type of ['dragenter', 'dragover', 'drop']) form.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true })); }",
            new[] { Convert.ToBase64String(png), name });
}
