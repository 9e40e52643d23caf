using System.Net;
using InferenceServer.Images;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary><c>response_format: url</c>: files served by this server, unguessable, expiring and deleted; nothing else reachable.</summary>
[Collection(ImageServerCollection.Name)]
public sealed class ImageUrlTests
{
    private readonly ImageServerFixture _fixture;
    private readonly HttpClient _client;

    public ImageUrlTests(ImageServerFixture fixture)
    {
        _fixture = fixture;
        _client = fixture.Server.Client;
    }

    [Fact]
    public async Task UrlServesTheImageUntilItExpiresThenTheFileIsGone()
    {
        var (response, body) = await _client.PostJsonAsync("v1/images/generations", new { prompt = "a sunset over the sea", size = "64x64", response_format = "url", output_format = "webp" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = new Uri(body.GetProperty("data")[0].GetProperty("url").GetString()!);
        Assert.False(body.GetProperty("data")[0].TryGetProperty("b64_json", out _));
        Assert.Matches("^/v1/images/files/[0-9a-f]{64}\\.webp$", url.AbsolutePath);

        var served = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/webp", served.Content.Headers.ContentType?.MediaType);
        using (var bitmap = TestImages.Decode(await served.Content.ReadAsByteArrayAsync(), out _))
        {
            Assert.Equal(64, bitmap.Width);
        }

        var store = _fixture.Server.Service<ImageStore>();
        var file = Path.Combine(store.Directory, Path.GetFileName(url.AbsolutePath));
        Assert.True(File.Exists(file));

        _fixture.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(url)).StatusCode);

        _fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(File.Exists(file), "the sweep deletes the file once it has expired");
        var expired = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal("invalid_request_error", (await expired.ReadJsonAsync()).GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("v1/images/files/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("v1/images/files/%2E%2E%2Fappsettings.json")]
    [InlineData("v1/images/files/..%5C..%5Cwin.ini")]
    [InlineData("v1/images/files/../../../etc/passwd")]
    [InlineData("v1/images/files/0000000000000000000000000000000000000000000000000000000000000000.png")]
    [InlineData("v1/images/files/%00.png")]
    [InlineData("images/files/not-an-id")]
    public async Task NothingOutsideTheStoreIsReachable(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {response.StatusCode}");
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
