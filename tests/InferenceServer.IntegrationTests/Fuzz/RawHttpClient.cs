using System.Net.Sockets;
using System.Text;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// HTTP/1.1 by hand over a <see cref="TcpClient"/>, so malformed bytes reach the server exactly as written. Every request
/// carries <c>Connection: close</c> (the builders add it): the response ends where the stream ends.
/// </summary>
public static class RawHttpClient
{
    public static async Task<RawResponse> SendAsync(Uri server, byte[] request, TimeSpan cap, bool halfClose = false)
    {
        using var timeout = new CancellationTokenSource(cap);
        using var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
            var stream = tcp.GetStream();
            try
            {
                await stream.WriteAsync(request, timeout.Token);
                if (halfClose)
                {
                    tcp.Client.Shutdown(SocketShutdown.Send);
                }
            }
            catch (IOException)
            {
                // The server answered (413, 400) and closed before taking the whole body: read what it said.
            }

            var received = new MemoryStream();
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    received.Write(buffer, 0, n);
                }
            }
            catch (IOException)
            {
                // A reset after the response: keep what arrived.
            }

            return Parse(received.ToArray());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return RawResponse.Hang;
        }
    }

    private static RawResponse Parse(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return new RawResponse(0, new Dictionary<string, string>(), bytes, TimedOut: false);
        }

        var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        var parts = lines[0].Split(' ', 3);
        var status = parts.Length >= 2 && int.TryParse(parts[1], out var s) ? s : 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var body = bytes[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body, TimedOut: false);
    }

    private static byte[] Dechunk(byte[] body)
    {
        var output = new MemoryStream();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = body.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.ASCII.GetString(body, at, lineEnd).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
            {
                break;
            }

            at += lineEnd + 2;
            output.Write(body, at, Math.Min(size, body.Length - at));
            at += size + 2;
        }

        return output.ToArray();
    }
}
