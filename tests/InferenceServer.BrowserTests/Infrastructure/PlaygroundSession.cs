using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests.Infrastructure;

/// <summary>
/// The playground open in a fresh browser context. Records every request the page makes to another origin and every
/// Content-Security-Policy violation (a test fails on either); on a failure, a screenshot of each tab goes to
/// <see cref="ScreenshotFolder"/>.
/// </summary>
public sealed class PlaygroundSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _server;
    private readonly List<string> _foreignRequests = [];
    private readonly List<string> _policyViolations = [];

    private PlaygroundSession(IBrowserContext context, IPage page, Uri server)
    {
        _context = context;
        Page = page;
        _server = server;
        page.Request += (_, request) =>
        {
            if (Uri.TryCreate(request.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                && url.GetLeftPart(UriPartial.Authority) != server.GetLeftPart(UriPartial.Authority))
            {
                lock (_foreignRequests)
                {
                    _foreignRequests.Add(request.Url);
                }
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (_policyViolations)
                {
                    _policyViolations.Add(message.Text);
                }
            }
        };
    }

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "playwright-screenshots");

    public IPage Page { get; }

    /// <param name="beforeLoad">Runs on the page before it loads (to route its requests).</param>
    public static async Task<PlaygroundSession> OpenAsync(IBrowser browser, Uri server, string path = "/", Func<IPage, Task>? beforeLoad = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var session = new PlaygroundSession(context, page, server);
        if (beforeLoad is not null)
        {
            await beforeLoad(page);
        }

        await page.GotoAsync(new Uri(server, path).ToString());
        return session;
    }

    /// <summary>Waits until the page has asked <c>/models</c> (loaded or failed).</summary>
    public Task ModelsAnsweredAsync() => Page.WaitForFunctionAsync("() => document.body.dataset.models !== undefined");

    public ILocator Id(string id) => Page.Locator("#" + id);

    public Task TabAsync(string name) => Page.Locator($"#tabs button[data-tab='{name}']").ClickAsync();

    /// <summary>Runs the test body; on failure, screenshots every enabled tab before the exception goes on.</summary>
    public async Task RunAsync(Func<Task> body, [CallerMemberName] string test = "")
    {
        try
        {
            await body();
            Assert.Empty(_foreignRequests);
            Assert.Empty(_policyViolations);
        }
        catch
        {
            await ScreenshotTabsAsync(test);
            throw;
        }
    }

    public async Task ScreenshotTabsAsync(string prefix)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        foreach (var tab in new[] { "chat", "images", "video", "embeddings", "status" })
        {
            try
            {
                await TabAsync(tab);
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{prefix}-{tab}.png"), FullPage = true, Timeout = 5_000 });
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                // The page may be gone, or the tab disabled on this server; the test's own exception says why.
            }
        }
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    public override string ToString() => _server.ToString();
}
