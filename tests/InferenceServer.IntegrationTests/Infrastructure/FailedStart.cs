using System.Diagnostics;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>Runs the server as its own process with arguments that should stop its start, and returns what a user sees.</summary>
public static class FailedStart
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "InferenceServer.dll"));
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        info.ArgumentList.Add($"--Server:ModelCacheDirectory={TestServer.ModelCache}");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The server started instead of stopping: " + await stdout);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
