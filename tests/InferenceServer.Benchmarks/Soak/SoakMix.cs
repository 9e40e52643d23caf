using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace InferenceServer.Benchmarks.Soak;

/// <summary>
/// The soak's request mix over the built-in demo: every API surface, streams that run to the end and streams the
/// client drops, and requests that must be refused with a 4xx.
/// </summary>
internal static class SoakMix
{
    public static IReadOnlyList<SoakOperation> Operations { get; } =
    [
        new("chat", 6, (http, ct) => PostOkAsync(http, "v1/chat/completions", """{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}]}""", "demo model", ct)),
        new("chat-stream", 6, (http, ct) => StreamToEndAsync(http, """{"model":"deepseek-reasoner","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}""", ct)),
        new("tools", 3, (http, ct) => PostOkAsync(http, "v1/chat/completions", """{"model":"deepseek-chat","messages":[{"role":"user","content":"weather in Paris?"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}]}""", "get_weather", ct)),
        new("json", 3, (http, ct) => PostOkAsync(http, "v1/chat/completions", """{"model":"deepseek-chat","messages":[{"role":"user","content":"json please"}],"response_format":{"type":"json_object"}}""", "answer", ct)),
        new("fim", 3, (http, ct) => PostOkAsync(http, "beta/completions", """{"model":"deepseek-chat","prompt":"def add(a, b):\n    ","suffix":"\n\nprint(add(1, 2))","max_tokens":64}""", "return a + b", ct)),
        new("anthropic", 3, (http, ct) => PostOkAsync(http, "anthropic/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":256,"messages":[{"role":"user","content":"Hi"}]}""", "demo model", ct)),
        new("embeddings", 4, (http, ct) => PostOkAsync(http, "v1/embeddings", """{"model":"all-MiniLM-L6-v2","input":["A man is playing a guitar.","Someone is strumming a guitar."]}""", "embedding", ct)),
        new("images", 2, (http, ct) => PostOkAsync(http, "v1/images/generations", """{"model":"forge-diffusion","prompt":"a lighthouse at night","size":"256x256","steps":2,"seed":1}""", "b64_json", ct)),
        new("dropped-stream", 2, DropStreamAsync),
        new("bad-request", 3, BadRequestAsync),
    ];

    private static async Task<bool> PostOkAsync(HttpClient http, string path, string body, string expected, CancellationToken ct)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.StatusCode == HttpStatusCode.OK && text.Contains(expected, StringComparison.Ordinal);
    }

    private static async Task<bool> StreamToEndAsync(HttpClient http, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        bool usage = false;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            usage |= line.Contains("\"usage\":{", StringComparison.Ordinal);
            if (line == "data: [DONE]")
            {
                return usage;
            }
        }

        return false;
    }

    /// <summary>An endless answer read for a few events, then the connection is dropped; the slot must come back.</summary>
    private static async Task<bool> DropStreamAsync(HttpClient http, CancellationToken ct)
    {
        var body = """{"model":"deepseek-chat","messages":[{"role":"user","content":"count forever"}],"stream":true,"max_tokens":2000}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        int events = 0;
        while (events < 5 && await reader.ReadLineAsync(ct) is { } line)
        {
            events += line.StartsWith("data: {", StringComparison.Ordinal) ? 1 : 0;
        }

        return events == 5;
    }

    private static int _badRequests;

    /// <summary>Takes turns among three refusals: a parameter out of range, broken JSON and an unknown model.</summary>
    private static async Task<bool> BadRequestAsync(HttpClient http, CancellationToken ct)
    {
        var pick = Interlocked.Increment(ref _badRequests) % 3;
        var body = pick switch
        {
            0 => """{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}],"temperature":2.5}""",
            1 => """{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}""",
            _ => """{"model":"no-such-model","messages":[{"role":"user","content":"Hi"}]}""",
        };
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("v1/chat/completions", content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (int)response.StatusCode is >= 400 and < 500 && text.StartsWith("{\"error\":{", StringComparison.Ordinal);
    }

    private static StringContent Json(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
