using System.Text.Json.Nodes;
using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using SkiaSharp;

namespace InferenceServer.BrowserTests;

/// <summary>
/// Images attached to a chat turn. The fixture's models are text-only, so the page must keep attaching shut; the
/// attaching itself is driven on a <c>/models</c> answer rewritten to list <c>deepseek-chat</c> as taking images
/// (what the server will say of a vision model), and the real server then refuses the image part.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ChatAttachmentTests(PlaygroundFixture fixture)
{
    private static readonly byte[] Red = TestImages.Solid(4, 4, SKColors.Red);
    private static readonly byte[] Green = TestImages.Solid(4, 4, SKColors.Green);
    private static readonly byte[] Blue = TestImages.Solid(4, 4, SKColors.Blue);

    [SkippableFact]
    public async Task With_only_text_models_attaching_and_the_image_input_tab_are_disabled_saying_why()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await Assertions.Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-models", "loaded");
            await Assertions.Expect(session.Id("chat-attach")).ToBeDisabledAsync();
            Assert.Equal(
                "deepseek-reasoner takes text only, and no model here takes images (none lists \"image\" in its /models input_modalities).",
                await session.Id("chat-attach-reason").TextContentAsync());
            var tab = session.Page.Locator("#tabs button[data-tab='vision']");
            await Assertions.Expect(tab).ToBeDisabledAsync();
            Assert.Equal("No model here takes image input: none lists \"image\" in its /models input_modalities.", await tab.GetAttributeAsync("title"));
            await Assertions.Expect(session.Id("unavailable")).ToHaveTextAsync("Image input is off: no model here takes images, so its tab is disabled.");

            // A pasted image on a text-only model is refused in the page, not sent.
            await PasteAsync(session, Red, "red.png");
            await Assertions.Expect(session.Id("error")).ToContainTextAsync("takes text only");
            Assert.Equal(0, await session.Page.Locator("#chat-attachments img").CountAsync());
        });
    }

    [SkippableFact]
    public async Task Images_attached_by_picker_paste_and_drop_show_as_thumbnails_and_go_out_as_data_url_parts()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress, beforeLoad: ListChatAsVisionAsync);
        await session.RunAsync(async () =>
        {
            await Assertions.Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-models", "loaded");
            await Assertions.Expect(session.Id("unavailable")).ToBeHiddenAsync();
            await session.TabAsync("vision"); // chat, on the model that takes images
            Assert.Equal("deepseek-chat", await session.Id("chat-model").InputValueAsync());
            await Assertions.Expect(session.Id("chat-attach")).ToBeEnabledAsync();

            await session.Id("chat-attach").SetInputFilesAsync(new FilePayload { Name = "red.png", MimeType = "image/png", Buffer = Red });
            await PasteAsync(session, Green, "green.png");
            await DropAsync(session, Blue, "blue.png");
            var thumbnails = session.Page.Locator("#chat-attachments img");
            await Assertions.Expect(thumbnails).ToHaveCountAsync(3);
            Assert.Equal(DataUrl(Green), await thumbnails.Nth(1).GetAttributeAsync("src"));
            await session.Page.Locator("#chat-attachments .remove").Nth(1).ClickAsync(); // green goes
            await Assertions.Expect(thumbnails).ToHaveCountAsync(2);

            await session.Id("chat-input").FillAsync("which colours?");
            var sent = await session.Page.RunAndWaitForRequestAsync(() => session.Id("chat-send").ClickAsync(), "**/chat/completions");
            var content = JsonNode.Parse(sent.PostData!)!["messages"]!.AsArray()[^1]!["content"]!.AsArray();
            Assert.Equal(3, content.Count);
            Assert.Equal("text", (string?)content[0]!["type"]);
            Assert.Equal("which colours?", (string?)content[0]!["text"]);
            Assert.Equal("image_url", (string?)content[1]!["type"]);
            Assert.Equal(DataUrl(Red), (string?)content[1]!["image_url"]!["url"]);
            Assert.Equal(DataUrl(Blue), (string?)content[2]!["image_url"]!["url"]);

            // In the transcript, gone from the composer; this server's text model refuses the part, naming it.
            var turn = session.Page.Locator(".turn.user").Last;
            await Assertions.Expect(turn.Locator(".attachments img")).ToHaveCountAsync(2);
            Assert.Equal(DataUrl(Blue), await turn.Locator(".attachments img").Nth(1).GetAttributeAsync("src"));
            Assert.Equal(0, await thumbnails.CountAsync());
            await Assertions.Expect(session.Page.Locator(".turn.assistant").Last).ToHaveAttributeAsync("data-state", "failed");
            await Assertions.Expect(session.Id("error")).ToContainTextAsync("'messages[0].content[1]'");
        });
    }

    private static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    /// <summary>The server's real <c>/models</c>, with <c>deepseek-chat</c> listed as taking text and images.</summary>
    private static Task ListChatAsVisionAsync(IPage page) => page.RouteAsync("**/models", async route =>
    {
        var response = await route.FetchAsync();
        var list = JsonNode.Parse(await response.TextAsync())!;
        foreach (var model in list["data"]!.AsArray())
        {
            if ((string?)model!["id"] == "deepseek-chat")
            {
                model["input_modalities"] = new JsonArray("text", "image");
            }
        }

        await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = list.ToJsonString() });
    });

    private static Task PasteAsync(PlaygroundSession session, byte[] png, string name) =>
        session.Id("chat-input").EvaluateAsync(
            "(input, [b64, name]) => { const data = new DataTransfer(); data.items.add(new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], name, { type: 'image/png' })); input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })); }",
            new[] { Convert.ToBase64String(png), name });

    private static Task DropAsync(PlaygroundSession session, byte[] png, string name) =>
        session.Id("chat-form").EvaluateAsync(
            "(form, [b64, name]) => { const data = new DataTransfer(); data.items.add(new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], name, { type: 'image/png' })); for (const type of ['dragenter', 'dragover', 'drop']) form.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true })); }",
            new[] { Convert.ToBase64String(png), name });
}
