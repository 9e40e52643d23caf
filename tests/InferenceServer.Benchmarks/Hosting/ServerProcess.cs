using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace InferenceServer.Benchmarks.Hosting;

/// <summary>
/// The real server as its own process (<c>dotnet InferenceServer.dll</c>, as users run it) with the given settings,
/// and an HTTP client for it. A separate process keeps the benchmark's own threads and memory out of the figures.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
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
            MaxConnectionsPerServer = 64,
        };
        Client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
    }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "InferenceServer.dll"));
        info.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--urls=http://127.0.0.1:{port}"));
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>Resident memory (MiB) and thread count of the server process, from /proc (Linux).</summary>
    public (double RssMiB, int Threads) Sample()
    {
        double rss = double.NaN;
        int threads = -1;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["VmRSS:", var kib, ..])
            {
                rss = long.Parse(kib, CultureInfo.InvariantCulture) / 1024.0;
            }
            else if (fields is ["Threads:", var count, ..])
            {
                threads = int.Parse(count, CultureInfo.InvariantCulture);
            }
        }

        return (rss, threads);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
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
                using var response = await Client.GetAsync("health/ready");
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
}
