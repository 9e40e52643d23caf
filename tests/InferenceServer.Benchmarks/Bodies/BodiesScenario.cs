using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace InferenceServer.Benchmarks.Bodies;

/// <summary>
/// <c>bodies</c>: the server as its own process on the built-in demo, sent passes of large request bodies (0.5–33 MB on
/// chat, completions, Anthropic, embeddings and image edits, most of them refused), with the process's resident memory
/// printed before, after each pass, and after it has sat idle. Options: <c>--passes N</c> (3), <c>--idle-seconds S</c> (10).
/// </summary>
internal static class BodiesScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        int passes = Option(args, "--passes", 3);
        int idleSeconds = Option(args, "--idle-seconds", 10);
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "InferenceServer.dll"));
        info.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        info.ArgumentList.Add("--Serilog:MinimumLevel:Default=Warning");
        info.ArgumentList.Add("--Server:ModelCacheDirectory=" + Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models"));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            await WaitReadyAsync(client);
            await SendAsync(client, "chat/completions", Chat("Hi"));
            Console.WriteLine($"bodies: server pid {process.Id}; RSS after start and one chat: {Rss(process.Id)} MB");
            for (int pass = 1; pass <= passes; pass++)
            {
                var watch = Stopwatch.StartNew();
                var statuses = new List<int>();
                foreach (var (path, content) in Bodies())
                {
                    statuses.Add(await SendAsync(client, path, content));
                }

                Console.WriteLine($"bodies: pass {pass}: {statuses.Count} bodies ({string.Join(" ", statuses)}) in {watch.Elapsed.TotalSeconds:F1} s; RSS {Rss(process.Id)} MB");
            }

            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            Console.WriteLine($"bodies: RSS after {idleSeconds} s idle: {Rss(process.Id)} MB");
            await SendAsync(client, "chat/completions", Chat("Hi"));
            Console.WriteLine($"bodies: RSS after one more small chat: {Rss(process.Id)} MB");
            return 0;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static IEnumerable<(string Path, HttpContent Content)> Bodies()
    {
        foreach (int mb in new[] { 1, 4, 15 })
        {
            yield return ("chat/completions", Chat(Text(mb * 1024 * 1024)));
            yield return ("anthropic/v1/messages", Json($"{{\"model\":\"deepseek-chat\",\"max_tokens\":8,\"messages\":[{{\"role\":\"user\",\"content\":\"{Text(mb * 1024 * 1024)}\"}}]}}"));
        }

        yield return ("chat/completions", Chat(Text(512 * 1024)));
        yield return ("beta/completions", Json($"{{\"model\":\"deepseek-chat\",\"prompt\":\"{Text(8 * 1024 * 1024)}\"}}"));
        yield return ("embeddings", Json($"{{\"model\":\"text-embedding-3-small\",\"input\":[{string.Join(",", Enumerable.Repeat("\"" + Text(1024) + "\"", 3500))}]}}"));
        yield return ("chat/completions", Chat(Text(17 * 1024 * 1024)));
        var form = new MultipartFormDataContent { { new StringContent("a red cat"), "prompt" } };
        var image = new ByteArrayContent(new byte[31 * 1024 * 1024]);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(image, "image", "big.png");
        yield return ("v1/images/edits", form);
        yield return ("v1/images/generations", Json($"{{\"prompt\":\"{Text(33 * 1024 * 1024)}\"}}"));
    }

    private static StringContent Chat(string text) => Json($"{{\"model\":\"deepseek-chat\",\"max_tokens\":8,\"messages\":[{{\"role\":\"user\",\"content\":\"{text}\"}}]}}");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Text(int length) => string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", length / 45 + 1))[..length];

    private static async Task<int> SendAsync(HttpClient client, string path, HttpContent content)
    {
        try
        {
            using var response = await client.PostAsync(path, content);
            await response.Content.ReadAsByteArrayAsync();
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0; // The server answered early (413) and closed while the body was still going out.
        }
    }

    /// <summary>Resident set size in MB, from /proc (Linux).</summary>
    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return -1;
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            try
            {
                if ((await client.GetAsync("health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The server did not become ready.");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
