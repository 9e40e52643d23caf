using System.Net.Sockets;
using System.Text;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a bare socket, for the bytes HttpClient will not send (broken chunk framing, a body cut short).
/// The request should carry <c>Connection: close</c>; the answer is read until the server closes.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Head, string Body)> SendAsync(Uri server, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Status line, headers and the body, de-chunked when the answer is chunked.</summary>
    public static (int Status, string Head, string Body) Parse(string response)
    {
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? response : response[..split];
        var body = split < 0 ? string.Empty : response[(split + 4)..];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        if (!head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return (status, head, body);
        }

        var text = new StringBuilder();
        while (body.IndexOf("\r\n", StringComparison.Ordinal) is var end and > 0)
        {
            var size = Convert.ToInt32(body[..end], 16);
            if (size == 0)
            {
                break;
            }

            text.Append(body, end + 2, size);
            body = body[(end + 2 + size + 2)..];
        }

        return (status, head, text.ToString());
    }
}
