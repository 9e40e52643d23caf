using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>The playground's HTTP side: where it is served, its Content-Security-Policy, the key and the switch.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class PlaygroundRouteTests(DemoServerFixture fixture)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/playground")]
    public async Task The_page_is_served_with_a_policy_that_allows_only_its_own_scripts(string path)
    {
        using var response = await fixture.Server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("media-src blob:;", policy, StringComparison.Ordinal); // the video tab plays MP4s it fetched with the key
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/playground/app.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Its_scripts_come_from_the_server_assembly_and_other_names_are_404()
    {
        using var script = await fixture.Server.Client.GetAsync("/playground/chat.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("AbortController", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var missing = await fixture.Server.Client.GetAsync("/playground/secrets.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var body = await missing.ReadJsonAsync();
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task With_keys_set_the_page_needs_no_key_but_the_api_still_does()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Auth:Keys:0"] = "sk-playground-route" });

        using var page = await server.Client.GetAsync("/");
        using var script = await server.Client.GetAsync("/playground/app.js");
        using var models = await server.Client.GetAsync("/models");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, models.StatusCode);
    }

    [Fact]
    public async Task Playground_Enabled_false_turns_the_page_off_and_leaves_the_rest()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Playground:Enabled"] = "false" });

        foreach (var path in new[] { "/", "/playground", "/playground/app.js" })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }

        using var health = await server.Client.GetAsync("/health/live");
        using var docs = await server.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    [Fact]
    public async Task A_Playground_Enabled_that_is_not_a_boolean_stops_the_start_with_the_key_named()
    {
        var (exit, output) = await FailedStart.RunAsync("--Playground:Enabled=yes");

        Assert.Equal(1, exit);
        Assert.Contains("Playground:Enabled is 'yes'; it must be true or false", output, StringComparison.Ordinal);
    }
}
