using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>The server as its own process (<c>dotnet InferenceServer.dll</c>), with JSON console logs read line by line.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Errors.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every stdout line read so far.</summary>
    public List<string> Output { get; } = [];

    /// <summary>Every stderr line read so far.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    public int Id => _process.Id;

    public static Task<ServerProcess> StartAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "InferenceServer.dll");
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        info.ArgumentList.Add("--Server:LogFormat=json");
        info.ArgumentList.Add($"--Server:ModelCacheDirectory={TestServer.ModelCache}");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return StartAsync(info);
    }

    /// <summary>Starts a prepared command line (its output must be JSON logs) and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var server = new ServerProcess(Process.Start(info)!);
        var listening = await server.WaitForLogAsync(e => e.TryGetProperty("address", out _), TimeSpan.FromSeconds(60));
        var address = listening.GetProperty("address").GetString()!.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1");
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> and the kubelet do.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL: the process ends at once, mid-write, without running any of its shutdown.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Reads log lines (each must be one JSON object) until one matches.</summary>
    public async Task<JsonElement> WaitForLogAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await _lines.Reader.WaitToReadAsync(cts.Token))
        {
            while (_lines.Reader.TryRead(out var line))
            {
                Output.Add(line);
                var entry = JsonDocument.Parse(line).RootElement.Clone();
                if (match(entry))
                {
                    return entry;
                }
            }
        }

        throw new InvalidOperationException("The server's output ended before the expected log line:\n" + string.Join('\n', Output));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
