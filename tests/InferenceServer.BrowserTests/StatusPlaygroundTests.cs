using System.Globalization;
using System.Text.RegularExpressions;
using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

[Collection(PlaygroundCollection.Name)]
public sealed partial class StatusPlaygroundTests(PlaygroundFixture fixture)
{
    [SkippableFact]
    public async Task The_status_charts_poll_metrics_and_show_its_counters()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        var (response, _) = await fixture.Server.Client.PostJsonAsync("chat/completions", new
        {
            model = "deepseek-chat",
            messages = new[] { new { role = "user", content = "hi" } },
        });
        response.EnsureSuccessStatusCode();

        // The tests of this collection run one at a time, so the counters stand still while this one reads them.
        var metrics = await fixture.Server.Client.GetStringAsync("metrics");
        var generated = Sum(metrics, "inferenceserver_generation_tokens_total");
        var finished = Sum(metrics, "inferenceserver_request_success_total");
        Assert.True(generated > 0);

        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await session.TabAsync("status");
            await Assertions.Expect(session.Page.Locator("#chart-generated .value")).ToHaveTextAsync(generated.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(session.Page.Locator("#chart-finished .value")).ToHaveTextAsync(finished.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(session.Page.Locator("#chart-running .value")).ToHaveTextAsync("0");
            await Assertions.Expect(session.Page.Locator("#chart-kv .value")).ToHaveTextAsync(new Regex(@"^\d+\.\d %$"));

            // A second poll: the charts go on updating, not drawn once.
            await Assertions.Expect(session.Page.Locator("#chart-generated")).ToHaveAttributeAsync("data-samples", "2", new() { Timeout = 10_000 });
            Assert.Equal(8, await session.Page.Locator("#status-charts canvas").CountAsync());
        });
    }

    private static long Sum(string metrics, string name) =>
        Sample().Matches(metrics).Where(m => m.Groups["name"].Value == name)
            .Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
