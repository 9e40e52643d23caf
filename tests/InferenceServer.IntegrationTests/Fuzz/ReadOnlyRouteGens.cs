using System.Text;
using CsCheck;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>GET /models, /models/{id} and /user/balance (and /v1): hostile ids, query strings, headers and stray bodies.</summary>
public static class ReadOnlyRouteGens
{
    private static readonly Gen<string> Id = Gen.Frequency<string>(
        (3, Gen.OneOf("deepseek-chat", "deepseek-reasoner", "forge-random", "no-such-model", "..", "%2e%2e", "a/b")),
        (2, Gen.String[Gen.Char, 1, 30].Select(PercentEncode)));

    private static readonly Gen<string> Query = Gen.OneOf("", "?", "?limit=-1", "?after=%00", "?x=%ff%fe", "?a=" + new string('a', 4000), "?a&a&a&a");

    private static readonly Gen<string> Path = Gen.Frequency<string>(
        (2, Gen.OneOf("models", "v1/models", "user/balance", "v1/user/balance")),
        (3, Gen.Select(Gen.OneOf("models/", "v1/models/"), Id, (prefix, id) => prefix + id)));

    private static readonly Gen<string[]> Headers = Gen.OneOf<string[]>(
        [], ["Authorization: Bearer x"], ["Authorization: Basic !!!"], ["x-api-key: \u00e9"], ["Accept: text/html"], ["Accept: */*;q=abc"],
        ["Content-Type: application/json", "Content-Length: 5"], ["If-None-Match: *"], ["Range: bytes=0-1"]);

    public static readonly Gen<FuzzCase> Cases = Gen.Select(Path, Query, Headers, Gen.OneOf("GET", "GET", "GET", "HEAD"),
        (path, query, headers, method) =>
        {
            var body = headers.Any(h => h.StartsWith("Content-Length", StringComparison.Ordinal)) ? "{\"a\"" : string.Empty;
            var bytes = RequestBytes.Concat(RequestBytes.Head(method, path + query, headers), Encoding.ASCII.GetBytes(body));
            var route = path.Contains("balance", StringComparison.Ordinal) ? "balance" : "models";
            return new FuzzCase(route, $"{method} {path}{query}", path, bytes) { KestrelMayAnswer = method == "HEAD" };
        });

    private static string PercentEncode(string text)
    {
        var encoded = new StringBuilder();
        foreach (var b in HostileUtf8.Encode(text))
        {
            encoded.Append(char.IsAsciiLetterOrDigit((char)b) ? ((char)b).ToString() : $"%{b:X2}");
        }

        return encoded.ToString();
    }
}
