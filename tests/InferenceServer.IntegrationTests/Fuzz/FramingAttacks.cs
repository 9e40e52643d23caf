using System.Text;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// HTTP framing and header abuse against one JSON route: chunked bodies sound and broken, Content-Length lies, header and
/// request-line abuse, methods, paths, bodies over the route's limit.
/// </summary>
public static class FramingAttacks
{
    private const string Route = "http";

    public static IEnumerable<FuzzCase> For(string path, string sound)
    {
        var body = Encoding.UTF8.GetBytes(sound);
        var json = "Content-Type: application/json";
        FuzzCase Raw(string label, byte[] bytes, bool kestrel = false, bool halfClose = false) =>
            new(Route, label, path, bytes) { KestrelMayAnswer = kestrel, HalfClose = halfClose };
        byte[] Chunked(byte[] chunks, params string[] headers) => RequestBytes.Concat(RequestBytes.Head("POST", path, [json, "Transfer-Encoding: chunked", .. headers]), chunks);
        byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

        yield return Raw("chunked, one chunk", Chunked(RequestBytes.Chunked([body])));
        yield return Raw("chunked, one byte a chunk", Chunked(RequestBytes.Chunked(body.Select(b => new[] { b }))));
        yield return Raw("chunk extension", Chunked(RequestBytes.Concat(Ascii($"{body.Length:x};name=value\r\n"), body, Ascii("\r\n0\r\n\r\n"))));
        yield return Raw("chunk trailer", Chunked(RequestBytes.Concat(Ascii($"{body.Length:x}\r\n"), body, Ascii("\r\n0\r\nX-Trailer: 1\r\n\r\n"))));
        yield return Raw("chunk size zz", Chunked(RequestBytes.Concat(Ascii("zz\r\n"), body, Ascii("\r\n0\r\n\r\n"))));
        yield return Raw("chunk size ffffffffffffffffffff", Chunked(RequestBytes.Concat(Ascii("ffffffffffffffffffff\r\n"), body, Ascii("\r\n0\r\n\r\n"))));
        yield return Raw("chunk size -5", Chunked(RequestBytes.Concat(Ascii("-5\r\n"), body, Ascii("\r\n0\r\n\r\n"))));
        yield return Raw("chunk longer than its size", Chunked(RequestBytes.Concat(Ascii("4\r\n"), body, Ascii("\r\n0\r\n\r\n"))));
        yield return Raw("chunk without CRLF", Chunked(RequestBytes.Concat(Ascii($"{body.Length:x}\r\n"), body, Ascii("0\r\n\r\n"))));
        yield return Raw("no last chunk, then FIN", Chunked(RequestBytes.Chunked([body], terminate: false)), halfClose: true);
        yield return Raw("half a chunk, then FIN", Chunked(RequestBytes.Concat(Ascii($"{body.Length:x}\r\n"), body[..(body.Length / 2)])), halfClose: true);
        yield return Raw("Content-Length longer than the body, then FIN",
            RequestBytes.Concat(RequestBytes.Head("POST", path, json, $"Content-Length: {body.Length + 100}"), body), halfClose: true);
        yield return Raw("Content-Length shorter than the body",
            RequestBytes.Concat(RequestBytes.Head("POST", path, json, $"Content-Length: {body.Length / 2}"), body));
        yield return Raw("Content-Length 0 with a body", RequestBytes.Concat(RequestBytes.Head("POST", path, json, "Content-Length: 0"), body));
        yield return Raw("Content-Length -1", RequestBytes.Concat(RequestBytes.Head("POST", path, json, "Content-Length: -1"), body), kestrel: true);
        yield return Raw("Content-Length abc", RequestBytes.Concat(RequestBytes.Head("POST", path, json, "Content-Length: abc"), body), kestrel: true);
        yield return Raw("Content-Length 99999999999999999999", RequestBytes.Concat(RequestBytes.Head("POST", path, json, "Content-Length: 99999999999999999999"), body), kestrel: true);
        yield return Raw("two different Content-Lengths",
            RequestBytes.Concat(RequestBytes.Head("POST", path, json, $"Content-Length: {body.Length}", "Content-Length: 3"), body), kestrel: true);
        yield return Raw("Content-Length and chunked", Chunked(RequestBytes.Chunked([body]), $"Content-Length: {body.Length}"), kestrel: true);
        yield return Raw("Transfer-Encoding: gzip", RequestBytes.Concat(RequestBytes.Head("POST", path, json, "Transfer-Encoding: gzip"), body), kestrel: true);
        yield return Raw("Transfer-Encoding: chunked, chunked", RequestBytes.Concat(RequestBytes.Head("POST", path, json, "Transfer-Encoding: chunked, chunked"), RequestBytes.Chunked([body])), kestrel: true);
        yield return Raw("Content-Encoding: gzip on a plain body", RequestBytes.With("POST", path, "application/json", body, "Content-Encoding: gzip"));
        yield return Raw("Expect: 100-continue", RequestBytes.With("POST", path, "application/json", body, "Expect: 100-continue"));
        yield return Raw("a declared 100 MB body, then FIN", RequestBytes.Concat(RequestBytes.Head("POST", path, json, "Content-Length: 104857600"), body), halfClose: true);
        yield return Raw("HTTP/1.0 without Host", RequestBytes.Concat(Ascii($"POST /{path} HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), body), kestrel: true);
        yield return Raw("HTTP/1.1 without Host", RequestBytes.Concat(Ascii($"POST /{path} HTTP/1.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), body), kestrel: true);
        yield return Raw("HTTP/2.0 in the request line", RequestBytes.Concat(Ascii($"POST /{path} HTTP/2.0\r\nHost: x\r\nConnection: close\r\nContent-Length: {body.Length}\r\n\r\n"), body), kestrel: true);
        yield return Raw("NUL in a header value", RequestBytes.With("POST", path, "application/json", body, "X-Test: a" + HostileUtf8.Nul + "b"), kestrel: true);
        yield return Raw("invalid UTF-8 in a header value", RequestBytes.With("POST", path, "application/json", body, "X-Test: a" + HostileUtf8.InvalidByte), kestrel: true);
        yield return Raw("a 40 KB header", RequestBytes.With("POST", path, "application/json", body, "X-Big: " + new string('b', 40_000)), kestrel: true);
        yield return Raw("300 headers", RequestBytes.With("POST", path, "application/json", body, [.. Enumerable.Range(0, 300).Select(i => $"X-H{i}: {i}")]), kestrel: true);
        yield return Raw("header without a colon", RequestBytes.With("POST", path, "application/json", body, "NoColonHere"), kestrel: true);
        yield return Raw("header folding", RequestBytes.With("POST", path, "application/json", body, "X-Fold: a", " continued"), kestrel: true);
        yield return Raw("Authorization: Bearer with junk", RequestBytes.With("POST", path, "application/json", body, "Authorization: Bearer \u00ff\u00fe"), kestrel: true);
        yield return Raw("garbage request line", Ascii("GARBAGE\r\n\r\n"), kestrel: true);
        yield return Raw("binary request line", [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03, 0x0D, 0x0A, 0x0D, 0x0A], kestrel: true);
        yield return Raw("absolute-form target", RequestBytes.Concat(Ascii($"POST http://localhost/{path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), body), kestrel: true);
        yield return Raw("a 100 KB URL", RequestBytes.With("POST", path + "?q=" + new string('q', 100_000), "application/json", body), kestrel: true);
        foreach (var odd in new[] { path + "%00", path + "%ff", "../" + path, "/" + path, path + "/", path.ToUpperInvariant(), path + "?a=%zz", path + "#frag", "%2e%2e/" + path })
        {
            yield return new FuzzCase(Route, $"path {odd}", odd, RequestBytes.With("POST", odd, "application/json", body)) { KestrelMayAnswer = true, AnyShape = true };
        }

        foreach (var method in new[] { "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "CONNECT" })
        {
            yield return Raw($"method {method}", RequestBytes.With(method, path, "application/json", body), kestrel: method is "CONNECT" or "HEAD" or "TRACE");
        }
    }

    /// <summary>A chunked body past the route's limit: Kestrel stops reading at the limit and the answer is a 413.</summary>
    public static FuzzCase ChunkedOverLimit(string route, string path, long limit)
    {
        var piece = Encoding.ASCII.GetBytes("{\"input\":\"" + new string('a', 64 * 1024));
        var chunks = RequestBytes.Chunked(Enumerable.Repeat(piece, (int)(limit / piece.Length) + 2));
        return new FuzzCase(route, $"a chunked body over the {limit}-byte limit", path,
            RequestBytes.Concat(RequestBytes.Head("POST", path, "Content-Type: application/json", "Transfer-Encoding: chunked"), chunks));
    }
}
