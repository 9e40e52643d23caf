using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// Content-Type on the JSON routes: none is read as JSON; one that does not parse, names a charset other than UTF-8,
/// or names another media type is a 415 in the error envelope (Anthropic's shape on its paths), never ProblemDetails.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class ContentTypeTests
{
    private const string Chat = "{\"model\":\"deepseek-chat\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private const string Anthropic = "{\"model\":\"claude-sonnet-4\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private readonly TestServer _server;

    public ContentTypeTests(DemoServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task ABodyWithoutContentTypeIsReadAsJson()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Chat));
        Assert.Null(content.Headers.ContentType);
        var response = await _server.Client.PostAsync("chat/completions", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello!", (await response.ReadJsonAsync()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task AnEmptyContentTypeHeaderIsReadAsJson()
    {
        var (status, _, body) = await RawHttp.SendAsync(_server.BaseAddress, Request("chat/completions", "Content-Type: \r\n", Chat));
        Assert.Equal(200, status);
        Assert.Contains("\"content\":\"Hello!\"", body);
    }

    [Theory]
    [InlineData("Content-Type: ;;;===\r\n", "is not a media type")]
    [InlineData("Content-Type: application/json; charset=latin1\r\n", "charset 'latin1' is not supported")]
    [InlineData("Content-Type: application/json; charset=utf-16\r\n", "charset 'utf-16' is not supported")]
    [InlineData("Content-Type: text/plain\r\n", "Content-Type 'text/plain' is not accepted here")]
    [InlineData("Content-Type: application/x-www-form-urlencoded\r\n", "is not accepted here")]
    public async Task AnUnreadableContentTypeIsA415InTheEnvelope(string header, string says)
    {
        foreach (var route in new[] { "chat/completions", "v1/completions", "embeddings", "images/generations" })
        {
            var (status, head, body) = await RawHttp.SendAsync(_server.BaseAddress, Request(route, header, Chat));
            Assert.Equal(415, status);
            Assert.Contains("Content-Type: application/json", head);
            var error = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.Contains(says, error.GetProperty("message").GetString());
        }

        var (anthropic, _, json) = await RawHttp.SendAsync(_server.BaseAddress, Request("anthropic/v1/messages", header, Anthropic));
        Assert.Equal(415, anthropic);
        var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Contains(says, root.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Utf8CharsetIsAccepted()
    {
        var content = new StringContent(Anthropic, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=\"UTF-8\"");
        var response = await _server.Client.PostAsync("anthropic/v1/messages", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Request(string route, string header, string body) =>
        $"POST /{route} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{header}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
}
