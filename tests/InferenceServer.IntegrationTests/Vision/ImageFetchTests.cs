using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static InferenceServer.IntegrationTests.Vision.ImageRequests;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>
/// Remote images through the fetch policy, from an image host on 127.0.0.1 that the test's allow-list permits
/// (<c>RemoteFetch:AllowPrivateAddresses</c>; without it loopback is refused, as <see cref="ImageInputTests"/> shows):
/// fetched bytes are decoded and reach the vision model (a fetched video's frames too), redirects are followed only to
/// allowed hosts, failures name the part's URL.
/// </summary>
public sealed class ImageFetchTests : IAsyncLifetime
{
    private WebApplication _host = null!;
    private TestServer _server = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _host = builder.Build();
        var clip = await TestVideos.Mp4Async("red", "blue");
        _host.MapGet("/red.png", () => Results.Bytes(Png, "image/png"));
        _host.MapGet("/clip.mp4", () => Results.Bytes(clip, "video/mp4"));
        _host.MapGet("/text.png", () => Results.Bytes("plain text"u8.ToArray(), "image/png"));
        _host.MapGet("/moved", () => Results.Redirect("/red.png"));
        _host.MapGet("/away", (HttpContext c) => Results.Redirect($"http://localhost:{c.Connection.LocalPort}/red.png"));
        await _host.StartAsync();
        _port = new Uri(_host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RemoteFetch:AllowedHosts:0"] = "127.0.0.1",
            ["RemoteFetch:AllowPrivateAddresses"] = "true",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _host.DisposeAsync();
    }

    private string Url(string path) => $"http://127.0.0.1:{_port}{path}";

    [Theory]
    [InlineData(Route.Chat)]
    [InlineData(Route.Anthropic)]
    [InlineData(Route.Responses)]
    public async Task AFetchedImageReachesTheVisionModelAndATextModelRefusesIt(Route route)
    {
        var (answered, text, _) = await AskAsync(_server.Client, route, VisionModel, new Source(Url: Url("/red.png")));
        Assert.Equal(HttpStatusCode.OK, answered);
        Assert.Equal("The image is red.", text);

        var (status, message, _, _) = await PostAsync(_server.Client, route, new Source(Url: Url("/red.png")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"Invalid value for '{Part(route)}'", message);
        Assert.Contains("which reads text only", message);
    }

    [Fact]
    public async Task AFetchedVideoIsSampledIntoFramesAndARefusedOneNamesItsUrl()
    {
        object Body(string url) => new
        {
            model = VisionModel,
            messages = new[] { new { role = "user", content = (object[])[new { type = "text", text = "What happens?" }, new { type = "video_url", video_url = new { url } }] } },
        };

        var (answered, body) = await _server.Client.PostJsonAsync("v1/chat/completions", Body(Url("/clip.mp4")));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("The image is blue.", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());

        var (refused, error) = await _server.Client.PostJsonAsync("v1/chat/completions", Body("https://videos.example.com/clip.mp4"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("remote_fetch_refused", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("messages[0].content[1].video_url.url", error.GetProperty("error").GetProperty("param").GetString());
        Assert.StartsWith("Invalid video in 'messages[0].content[1].video_url.url'", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchedBytesAreJudgedByTheirContentNotTheServedType()
    {
        var source = new Source(Url: Url("/text.png"));
        var (status, message, param, code) = await PostAsync(_server.Client, Route.Chat, source);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("invalid_image", "messages[0].content[1].image_url.url"), (code, param));
        Assert.Contains("not a JPEG, PNG, GIF or WebP image", message);
    }

    [Fact]
    public async Task ARedirectToAnAllowedHostIsFollowedAndOneToAnotherHostIsRefused()
    {
        var (moved, movedMessage, _, _) = await PostAsync(_server.Client, Route.Chat, new Source(Url: Url("/moved")));
        Assert.Equal(HttpStatusCode.BadRequest, moved);
        Assert.Contains("which reads text only", movedMessage);

        var (away, awayMessage, param, code) = await PostAsync(_server.Client, Route.Chat, new Source(Url: Url("/away")));
        Assert.Equal(HttpStatusCode.BadRequest, away);
        Assert.Equal(("remote_fetch_refused", "messages[0].content[1].image_url.url"), (code, param));
        Assert.Contains("'localhost': it is not on RemoteFetch:AllowedHosts", awayMessage);
    }

    [Fact]
    public async Task AMissingRemoteImageIs400NamingTheUrl()
    {
        var (status, message, param, code) = await PostAsync(_server.Client, Route.Responses, new Source(Url: Url("/nothing.png")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("remote_fetch_refused", "input[0].content[1].image_url"), (code, param));
        Assert.Contains("answered 404", message);
    }
}
