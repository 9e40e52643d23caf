using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// Bodies that cannot be read: broken chunk framing is a 400 in the envelope; a client that leaves in the middle of
/// its body gets nothing written and costs no error log (it used to be an ERR "responded 500" and a second exception).
/// </summary>
public sealed class BodyFramingTests : IClassFixture<ServerProcessFixture>
{
    private const string Partial = "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",";
    private readonly ServerProcess _server;

    public BodyFramingTests(ServerProcessFixture fixture) => _server = fixture.Server;

    [Theory]
    [InlineData("chat/completions", "ffffffffffffffffffff")]
    [InlineData("embeddings", "ffffffffffffffffffff")]
    [InlineData("anthropic/v1/messages", "ffffffffffffffffffff")]
    [InlineData("chat/completions", "zz")]
    public async Task ABrokenChunkSizeIsA400InTheEnvelope(string route, string size)
    {
        var server = _server;
        var (status, _, body) = await RawHttp.SendAsync(server.BaseAddress,
            $"POST /{route} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\n{{}}\r\n0\r\n\r\n");
        Assert.Equal(400, status);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(route.StartsWith("anthropic", StringComparison.Ordinal), json.TryGetProperty("type", out _));
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("chunk", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);

        await AssertNoErrorLoggedAsync(server);
    }

    [Theory]
    [InlineData("chat/completions", false, true)]
    [InlineData("embeddings", false, true)]
    [InlineData("anthropic/v1/messages", true, true)]
    [InlineData("chat/completions", false, false)]
    [InlineData("anthropic/v1/messages", true, false)]
    public async Task AClientGoneMidBodyIsNotAnError(string route, bool chunked, bool reset)
    {
        var server = _server;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
            var stream = client.GetStream();
            var framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: 1000";

            // Expect: 100-continue makes Kestrel say when the application starts reading the body: the cut then
            // lands in the middle of that read, not before the request exists.
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /{route} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{framing}\r\nExpect: 100-continue\r\n\r\n"));
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer);
            Assert.StartsWith("HTTP/1.1 100 Continue", Encoding.ASCII.GetString(buffer, 0, read));
            var part = chunked ? $"{Partial.Length:x}\r\n{Partial}\r\n" : Partial;
            await stream.WriteAsync(Encoding.ASCII.GetBytes(part));
            await stream.FlushAsync();
            if (reset)
            {
                client.Client.LingerState = new LingerOption(true, 0);
            }
        }

        var line = await server.WaitForLogAsync(e => RequestPath(e) == "/" + route, TimeSpan.FromSeconds(30));
        var status = line.GetProperty("StatusCode").GetInt32();
        Assert.True(status is 499 or 400, $"status {status}");
        Assert.False(line.TryGetProperty("@l", out var level) && level.GetString() is "Error" or "Warning", $"logged at {level}");
        await AssertNoErrorLoggedAsync(server);
    }

    private static string? RequestPath(JsonElement e) =>
        e.TryGetProperty("RequestPath", out var p) && e.TryGetProperty("StatusCode", out _) ? p.GetString() : null;

    /// <summary>Serves one more request and waits for its log line, so everything the failure logged has been read.</summary>
    private static async Task AssertNoErrorLoggedAsync(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.True((await http.GetAsync("models")).IsSuccessStatusCode);
        await server.WaitForLogAsync(e => RequestPath(e) == "/models", TimeSpan.FromSeconds(30));
        var errors = server.Output.Where(l => l.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"@x\"", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
