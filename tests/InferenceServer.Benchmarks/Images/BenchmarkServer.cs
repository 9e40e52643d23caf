using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace InferenceServer.Benchmarks.Images;

/// <summary>
/// The real server as its own process (<c>dotnet InferenceServer.dll</c>, as users run it) serving one image model
/// folder, and the client that times it. A separate process keeps the client's and the in-process pipeline's threads
/// out of the server's way.
/// </summary>
internal sealed class BenchmarkServer : IAsyncDisposable
{
    public const string Prompt = "a lighthouse at night";
    private readonly Process _process;
    private readonly HttpClient _client;

    private BenchmarkServer(Process process, Uri address)
    {
        _process = process;
        var handler = new SocketsHttpHandler
        {
            // Small requests: send headers and body without waiting on Nagle (a 40 ms delayed-ACK stall on Linux loopback).
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
    }

    public static async Task<BenchmarkServer> StartAsync(string folder, ImagesBenchmarkOptions options)
    {
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "InferenceServer.dll"));
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Server:ModelCacheDirectory"] = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models"),
            ["ImageModels:0:Id"] = "bench",
            ["ImageModels:0:Path"] = folder,
            ["ImageModels:0:DefaultSteps"] = options.Steps.ToString(CultureInfo.InvariantCulture),
            ["ImageModels:0:MaxSteps"] = Math.Max(50, options.Steps).ToString(CultureInfo.InvariantCulture),
            ["ImageModels:0:DefaultGuidanceScale"] = options.Guidance.ToString(CultureInfo.InvariantCulture),
            ["ImageModels:0:Sizes:0"] = options.Size,
            ["Images:MaxConcurrentRequests"] = "4",
            ["Images:MaxQueueWaitSeconds"] = "600",
        })
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var server = new BenchmarkServer(process, new Uri($"http://127.0.0.1:{port}/"));
        await server.WaitReadyAsync();
        await server.GenerateAsync(0);
        return server;
    }

    /// <summary>Milliseconds for one request, from send to the last response byte.</summary>
    public async Task<double> TimeRequestAsync(int seed)
    {
        var watch = Stopwatch.StartNew();
        await GenerateAsync(seed);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Images per minute with <paramref name="concurrency"/> clients each sending requests back to back.</summary>
    public async Task<double> MeasureThroughputAsync(ImagesBenchmarkOptions options, int concurrency)
    {
        int total = Math.Max(options.Images, concurrency * 4);
        int next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int seed;
            while ((seed = Interlocked.Increment(ref next)) <= total)
            {
                await GenerateAsync(seed);
            }
        }));
        return total / watch.Elapsed.TotalMinutes;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} during start.");
            }

            try
            {
                using var response = await _client.GetAsync("health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The server did not become ready within 2 minutes.");
    }

    private async Task GenerateAsync(int seed)
    {
        // A buffered body with Content-Length, as SDK clients send it (not chunked).
        var body = string.Create(CultureInfo.InvariantCulture,
            $$"""{"model":"bench","prompt":"{{Prompt}}","seed":{{seed}},"response_format":"b64_json"}""");
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("v1/images/generations", content);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }
}
