using System.Text;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// Structural attacks on a JSON route, built from one sound body: truncation, depth, duplicate keys, invalid UTF-8,
/// lone surrogates, NUL, huge numbers, and a wrong type at every field of the body.
/// </summary>
public static class BodyAttacks
{
    public static IEnumerable<FuzzCase> For(string route, string path, string sound)
    {
        FuzzCase Case(string label, string body) => FuzzCase.Json(route, label, path, body);
        var inner = sound[1..^1];

        yield return Case("empty body", string.Empty);
        foreach (var text in new[] { "{", "}", "[]", "null", "\"x\"", "1", "true", "{}", "{\"\":1}", "{'model':'x'}", "{\"a\":1,}", "{\"a\":NaN}", "{\"a\":Infinity}", "{/*c*/}", "\ufeff{}" })
        {
            yield return Case("not an object: " + text, text);
        }

        for (var cut = 1; cut < sound.Length; cut += Math.Max(1, sound.Length / 12))
        {
            yield return Case($"cut at {cut}", sound[..cut]);
        }

        yield return Case("10000 [ deep", "{" + inner + ",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}");
        yield return Case("1000 objects deep", "{" + inner + ",\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000) + "}");
        yield return Case("100000 [ unclosed", new string('[', 100_000));
        yield return Case("20000 unknown keys", "{" + inner + string.Concat(Enumerable.Range(0, 20_000).Select(i => $",\"k{i}\":{i}")) + "}");
        yield return Case("a 100 KB key", "{" + inner + ",\"" + new string('k', 100_000) + "\":1}");
        yield return Case("a 2 MB unknown string", "{" + inner + ",\"x\":\"" + new string('s', 2_000_000) + "\"}");
        yield return Case("BOM before the body", "\ufeff" + sound);
        yield return Case("NUL after the body", sound + HostileUtf8.Nul);
        yield return Case("NUL inside the body", sound.Insert(1, HostileUtf8.Nul.ToString()));
        yield return Case("invalid byte in a key", "{\"mo" + HostileUtf8.InvalidByte + "del\":1," + inner + "}");
        yield return Case("lone surrogate in a key", "{\"\\ud800\":1," + inner + "}");
        yield return Case("raw lone surrogate in a key", "{\"\uDC00\":1," + inner + "}");
        yield return Case("two bodies", sound + sound);

        foreach (var (name, _) in TopLevelFields(sound))
        {
            yield return Case($"{name} twice", "{" + inner + "," + JsonText.Member(name, "42") + "}");
            yield return Case($"{name} left out", Remove(sound, name));
        }

        foreach (var (label, text) in LeafAttacks.EveryField(sound))
        {
            yield return Case(label, text);
        }
    }

    private static IEnumerable<(string Name, string Value)> TopLevelFields(string sound)
    {
        using var document = System.Text.Json.JsonDocument.Parse(sound);
        return [.. document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText()))];
    }

    private static string Remove(string sound, string name)
    {
        using var document = System.Text.Json.JsonDocument.Parse(sound);
        return JsonText.Object(document.RootElement.EnumerateObject().Where(p => p.Name != name).Select(p => JsonText.Member(p.Name, p.Value.GetRawText())));
    }

    /// <summary>The sound body sent with every content type a client gets wrong.</summary>
    public static IEnumerable<FuzzCase> ContentTypes(string route, string path, string sound)
    {
        var body = Encoding.UTF8.GetBytes(sound);
        foreach (var type in new[] { null, "", "text/plain", ";;;===", "application/json; charset=latin1", "application/json; charset=utf-16",
                     "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json, application/xml", "application/xml",
                     "application/json; charset=\"", "*/*", "application", "APPLICATION/JSON" })
        {
            yield return new FuzzCase(route, $"Content-Type: {type ?? "(none)"}", path, RequestBytes.With("POST", path, type, body));
        }

        yield return new FuzzCase(route, "UTF-16 body, charset=utf-16", path,
            RequestBytes.With("POST", path, "application/json; charset=utf-16", Encoding.Unicode.GetBytes(sound)));
    }
}
