using System.Text;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Writes HTTP/1.1 requests byte for byte: the request line, headers as given, then the body as given.</summary>
public static class RequestBytes
{
    /// <summary>A request with a correct <c>Content-Length</c> (none when <paramref name="contentType"/> and body are both absent).</summary>
    public static byte[] With(string method, string path, string? contentType, byte[] body, params string[] headers)
    {
        var all = new List<string>();
        if (contentType is not null)
        {
            all.Add("Content-Type: " + contentType);
        }

        if (body.Length > 0 || method is "POST" or "PUT")
        {
            all.Add("Content-Length: " + body.Length);
        }

        all.AddRange(headers);
        return Concat(Head(method, path, [.. all]), body);
    }

    public static byte[] Json(string path, string body) => With("POST", path, "application/json", HostileUtf8.Encode(body));

    public static byte[] Json(string path, byte[] body) => With("POST", path, "application/json", body);

    public static byte[] Get(string path) => With("GET", path, null, []);

    /// <summary>The request line, <c>Host</c>, <c>Connection: close</c>, the given headers, and the blank line.</summary>
    public static byte[] Head(string method, string path, params string[] headers)
    {
        var text = new StringBuilder();
        text.Append(method).Append(" /").Append(path).Append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("\r\n");
        return HostileUtf8.Encode(text.ToString());
    }

    /// <summary>A body sent chunked: each piece one chunk, then the terminating chunk unless <paramref name="terminate"/> is false.</summary>
    public static byte[] Chunked(IEnumerable<byte[]> pieces, bool terminate = true)
    {
        var output = new MemoryStream();
        foreach (var piece in pieces)
        {
            output.Write(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
            output.Write(piece);
            output.Write("\r\n"u8);
        }

        if (terminate)
        {
            output.Write("0\r\n\r\n"u8);
        }

        return output.ToArray();
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var output = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(output, at);
            at += part.Length;
        }

        return output;
    }
}
