using System.Text;
using System.Text.Json.Nodes;
using InferenceServer.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

/// <summary>The chat tab's settings reach the request, and a reply's markup is shown as text.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ChatSettingsPlaygroundTests(PlaygroundFixture fixture)
{
    private static readonly string System = string.Join(' ', Enumerable.Repeat("Be brief and kind.", 30));

    [SkippableFact]
    public async Task System_prompt_thinking_effort_temperature_and_max_tokens_go_out_and_shape_the_reply()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress, path: "/playground");
        await session.RunAsync(async () =>
        {
            await session.ModelsAnsweredAsync();
            await session.Id("chat-system").FillAsync(System);
            await session.Id("chat-thinking").SelectOptionAsync("disabled");
            await session.Id("chat-effort").SelectOptionAsync("high");
            await session.Id("chat-temperature").FillAsync("0");
            await session.Id("chat-max-tokens").FillAsync("5");
            await session.Id("chat-model").FillAsync("deepseek-reasoner");
            await session.Id("chat-input").FillAsync("hi");
            var sent = await session.Page.RunAndWaitForRequestAsync(() => session.Id("chat-send").ClickAsync(), "**/chat/completions");

            var body = JsonNode.Parse(sent.PostData!)!;
            Assert.Equal("deepseek-reasoner", (string?)body["model"]);
            Assert.Equal("system", (string?)body["messages"]![0]!["role"]);
            Assert.Equal(System, (string?)body["messages"]![0]!["content"]);
            Assert.Equal("hi", (string?)body["messages"]![1]!["content"]);
            Assert.Equal("disabled", (string?)body["thinking"]!["type"]);
            Assert.Equal("high", (string?)body["reasoning_effort"]);
            Assert.Equal(0, (double?)body["temperature"]);
            Assert.Equal(5, (int?)body["max_tokens"]);
            Assert.True((bool?)body["stream"]);

            // Thinking off on the thinking model: no reasoning block; five tokens of the scripted answer, cut at the limit.
            var turn = await ChatPlaygroundTests.FinishedTurnAsync(session);
            Assert.Equal("Hello! This is the", await turn.Locator(".content").TextContentAsync());
            Assert.Equal(0, await turn.Locator("details.reasoning").CountAsync());
            Assert.StartsWith("finish: length · tokens: ", await turn.Locator(".stats").TextContentAsync(), StringComparison.Ordinal);
            Assert.Contains(" 5 out", await turn.Locator(".stats").TextContentAsync(), StringComparison.Ordinal);

            // The next turn starts with the same system prompt (longer than the prefix cache's 64-token blocks): the
            // server reuses its KV, and the turn says so.
            await session.Id("chat-input").FillAsync("hi");
            await session.Id("chat-send").ClickAsync();
            await Assertions.Expect(session.Page.Locator(".turn.assistant")).ToHaveCountAsync(2);
            var second = await ChatPlaygroundTests.FinishedTurnAsync(session);
            Assert.Matches(@"cache hits: [1-9]\d*", await second.Locator(".stats").TextContentAsync());
        });
    }

    [SkippableFact]
    public async Task A_reply_holding_script_and_img_markup_renders_as_text_with_its_markdown_as_elements()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        // The real model writes exactly this string: the request leaves the page with a JSON schema whose root is it.
        const string hostile = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"> **bold** and `code`";
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress, beforeLoad: page =>
            page.RouteAsync("**/chat/completions", route =>
            {
                var body = JsonNode.Parse(route.Request.PostData!)!;
                body["response_format"] = new JsonObject
                {
                    ["type"] = "json_schema",
                    ["json_schema"] = new JsonObject { ["name"] = "hostile", ["schema"] = new JsonObject { ["const"] = hostile } },
                };
                return route.ContinueAsync(new RouteContinueOptions { PostData = Encoding.UTF8.GetBytes(body.ToJsonString()) });
            }));
        await session.RunAsync(async () =>
        {
            await ChatPlaygroundTests.SendAsync(session, "deepseek-chat", "hi");
            var turn = await ChatPlaygroundTests.FinishedTurnAsync(session);

            var content = turn.Locator(".content");
            Assert.Equal("\"<script>window.__xss=1</script><img src=x onerror=\\\"window.__xss=2\\\"> bold and code\"", await content.TextContentAsync());
            Assert.Equal("bold", await content.Locator("strong").TextContentAsync());
            Assert.Equal("code", await content.Locator("code").TextContentAsync());
            Assert.Equal(0, await session.Page.Locator("#chat-log img, #chat-log script").CountAsync());
            Assert.Equal("undefined", await session.Page.EvaluateAsync<string>("() => typeof window.__xss"));

            var exported = await session.Page.RunAndWaitForDownloadAsync(() => session.Id("chat-export").ClickAsync());
            var turns = JsonNode.Parse(await File.ReadAllTextAsync(await exported.PathAsync()))!["turns"]!.AsArray();
            Assert.Equal("\"" + hostile.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"", (string?)turns[1]!["content"]);
        });
    }

    [SkippableFact]
    public async Task The_page_s_markdown_renderer_builds_code_blocks_lists_and_headings_from_text_nodes_only()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        const string reply = "## Fix\n```js\nif (a < b) alert('<script>');\n```\n- one\n- `two` and **<b>three</b>**\n<img src=x onerror=\"window.__xss=1\">";
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            // The renderer the chat tab draws every reply with, as the page loads it (a module under the page's CSP).
            var html = await session.Page.EvaluateAsync<string>(
                "async text => { const { renderMarkdown } = await import('/playground/markdown.js'); const div = document.createElement('div'); renderMarkdown(div, text); document.body.append(div); return div.innerHTML; }",
                reply);

            Assert.Equal(
                "<h4>Fix</h4><pre><code data-language=\"js\">if (a &lt; b) alert('&lt;script&gt;');</code></pre>"
                + "<ul><li>one</li><li><code>two</code> and <strong>&lt;b&gt;three&lt;/b&gt;</strong></li></ul>"
                + "<p>&lt;img src=x onerror=\"window.__xss=1\"&gt;</p>",
                html);
            Assert.Equal("undefined", await session.Page.EvaluateAsync<string>("() => typeof window.__xss"));
        });
    }
}
