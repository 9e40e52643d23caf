using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace InferenceServer.Benchmarks.Serving;

/// <summary>A streaming chat client that records when each token arrives, as a serving benchmark client does.</summary>
internal sealed class ServerClient
{
    private readonly HttpClient _http;

    public ServerClient(HttpClient http) => _http = http;

    public Task RunAsync(string model, string systemPrompt, string user, int maxTokens, RunStats stats) =>
        RunAsync(model, [new { role = "system", content = systemPrompt }, new { role = "user", content = user }], maxTokens, stats);

    /// <summary>A chat whose one user message is <paramref name="imageUrl"/> (an image_url part, e.g. a data: URL), then <paramref name="user"/>.</summary>
    public Task RunWithImageAsync(string model, string imageUrl, string user, int maxTokens, RunStats stats) =>
        RunAsync(model,
            [new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = imageUrl } }, new { type = "text", text = user } } }],
            maxTokens, stats);

    private async Task RunAsync(string model, object[] messages, int maxTokens, RunStats stats)
    {
        var body = JsonSerializer.Serialize(new
        {
            model,
            messages,
            stream = true,
            max_tokens = maxTokens,
            temperature = 0,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        var start = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double? ttft = null;
        long firstAt = 0;
        var last = start;
        var gaps = new List<double>(maxTokens);
        var tokens = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            // Cheap on purpose: this client shares the 2 cores with the server it measures. Only the last chunks
            // (usage) are parsed; a content chunk is recognised by its non-empty "content" delta.
            if (line.Contains("\"usage\":{", StringComparison.Ordinal))
            {
                using var chunk = JsonDocument.Parse(line.AsMemory(6));
                tokens = chunk.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
                continue;
            }

            if (!line.Contains("\"delta\":{\"content\":\"", StringComparison.Ordinal) || line.Contains("\"delta\":{\"content\":\"\"", StringComparison.Ordinal))
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            if (ttft is null)
            {
                ttft = Stopwatch.GetElapsedTime(start, now).TotalSeconds;
                firstAt = now;
            }
            else
            {
                gaps.Add(Stopwatch.GetElapsedTime(last, now).TotalSeconds);
            }

            last = now;
        }

        stats.Add(ttft ?? double.NaN, gaps, tokens);
        if (ttft is not null)
        {
            stats.AddSpan(firstAt, Stopwatch.GetTimestamp());
        }
    }
}
