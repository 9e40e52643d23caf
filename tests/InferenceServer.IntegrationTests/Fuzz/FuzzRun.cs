using System.Text;
using System.Text.Json;
using CsCheck;
using Xunit.Abstractions;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// Sends cases one at a time and judges each answer: no 5xx, the envelope on every 4xx, an answer within the hang cap.
/// Failures are collected (not thrown at the first) so one run lists them all; <see cref="AssertClean"/> reports.
/// </summary>
public sealed class FuzzRun
{
    private readonly Uri _server;
    private readonly ITestOutputHelper _output;
    private readonly SortedDictionary<string, int> _sent = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, int> _statuses = [];
    private readonly List<string> _failures = [];

    public FuzzRun(Uri server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    public int Sent => _sent.Values.Sum();

    /// <summary>Generates <paramref name="count"/> cases from <paramref name="gen"/> with the run's seed and sends each.</summary>
    public async Task GenerateAsync(Gen<FuzzCase> gen, int count, uint stream)
    {
        var pcg = new PCG(stream, FuzzSettings.Seed);
        for (var i = 0; i < count; i++)
        {
            await SendAsync(gen.Generate(pcg, null, out _));
        }
    }

    public async Task SendAllAsync(IEnumerable<FuzzCase> cases)
    {
        foreach (var c in cases)
        {
            await SendAsync(c);
        }
    }

    public async Task<RawResponse> SendAsync(FuzzCase c)
    {
        var response = await RawHttpClient.SendAsync(_server, c.Bytes, FuzzSettings.HangCap, c.HalfClose);
        _sent[c.Route] = _sent.GetValueOrDefault(c.Route) + 1;
        _statuses[response.Status] = _statuses.GetValueOrDefault(response.Status) + 1;
        if (FuzzSettings.Verbose)
        {
            _output.WriteLine($"[{c.Route}] {response.Status} {Trim(response.BodyText)[..Math.Min(200, response.Body.Length)]}\n    request: {Excerpt(c.Bytes)}");
        }

        if (Problem(c, response) is { } problem)
        {
            _failures.Add($"[{c.Route}] {Printable(c.Label)}: {problem}\n    request: {Excerpt(c.Bytes)}");
        }

        return response;
    }

    /// <summary>Prints the count per route and a summary line; fails with every problem found.</summary>
    public void AssertClean(string suite)
    {
        var perRoute = string.Join(", ", _sent.Select(p => $"{p.Key} {p.Value}"));
        var statuses = string.Join(", ", _statuses.Select(p => $"{(p.Key == 0 ? "closed" : p.Key)}: {p.Value}"));
        var summary = $"fuzz {suite}: {Sent} requests ({perRoute}; answers {statuses}), seed {FuzzSettings.Seed}, {_failures.Count} failures";
        _output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var failure in _failures)
        {
            _output.WriteLine(failure);
        }

        Assert.True(_failures.Count == 0, summary + "\n" + string.Join("\n", _failures.Take(60)));
    }

    private static string? Problem(FuzzCase c, RawResponse r)
    {
        if (r.TimedOut)
        {
            return $"no answer within {FuzzSettings.HangCap.TotalSeconds} s";
        }

        if (r.Status == 0)
        {
            return c.KestrelMayAnswer || c.HalfClose ? null : "the connection closed without an answer";
        }

        if (r.Status == 505 && r.Body.Length == 0 && c.KestrelMayAnswer)
        {
            return null; // HTTP Version Not Supported: Kestrel's answer to a request line naming HTTP/2.0 or later.
        }

        if (r.Status >= 500)
        {
            return $"{r.Status} {Trim(r.BodyText)}";
        }

        if (r.Status >= 400)
        {
            return r.Body.Length == 0 && c.KestrelMayAnswer ? null
                : c.AnyShape ? (EnvelopeProblem(ErrorShape.OpenAi, r) is null ? null : EnvelopeProblem(ErrorShape.Anthropic, r))
                : EnvelopeProblem(c.Shape, r);
        }

        return r.Status is >= 200 and < 300 ? null : $"unexpected status {r.Status}";
    }

    private static string? EnvelopeProblem(ErrorShape shape, RawResponse r)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(r.Body).RootElement;
        }
        catch (JsonException)
        {
            return $"{r.Status} without a JSON body: {Trim(r.BodyText)}";
        }

        var ok = root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
            && error.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && (shape == ErrorShape.OpenAi
                ? !root.TryGetProperty("type", out _)
                : root.TryGetProperty("type", out var top) && top.ValueKind == JsonValueKind.String && top.GetString() == "error");
        return ok ? null : $"{r.Status} not in the {shape} envelope: {Trim(r.BodyText)}";
    }

    private static string Trim(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string Printable(string text) => string.Concat(text.Take(200).Select(ch => ch switch
    {
        HostileUtf8.InvalidByte => "<FF>",
        HostileUtf8.OverlongNul => "<C0 80>",
        HostileUtf8.Truncated => "<E2 82>",
        HostileUtf8.Nul => "<00>",
        _ when char.IsSurrogate(ch) => $"<raw U+{(int)ch:X4}>",
        _ when char.IsControl(ch) => $"\\u{(int)ch:x4}",
        _ => ch.ToString(),
    }));

    /// <summary>The request line, then the first bytes of the body (escaped).</summary>
    private static string Excerpt(byte[] bytes)
    {
        var lineEnd = Math.Max(0, bytes.AsSpan().IndexOf("\r\n"u8));
        var bodyAt = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var shown = bodyAt < 0 ? bytes.Take(260) : bytes.Take(lineEnd).Concat("\r\n...\r\n\r\n"u8.ToArray()).Concat(bytes.Skip(bodyAt + 4).Take(200));
        var text = new StringBuilder();
        foreach (var b in shown)
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                < 0x20 or >= 0x7F => $"\\x{b:X2}",
                _ => ((char)b).ToString(),
            });
        }

        return text + $" ({bytes.Length} bytes)";
    }
}
