using Microsoft.Playwright;

namespace InferenceServer.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium package (<c>apt-get install chromium</c>; .ci/run installs it), driven by the Playwright driver the
/// NuGet package carries. Never <c>playwright install</c>: the tests download no browser.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static bool Installed => File.Exists(ExecutablePath);

    public const string MissingReason = "Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it.";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
