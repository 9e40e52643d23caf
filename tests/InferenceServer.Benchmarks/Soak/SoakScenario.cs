using System.Diagnostics;
using System.Globalization;
using InferenceServer.Benchmarks.Hosting;

namespace InferenceServer.Benchmarks.Soak;

/// <summary>
/// The soak benchmark: the real server as its own process on the built-in demo models, under a mixed load of every
/// API surface (with dropped streams and refused requests) for a long time. Prints, per interval, requests, failures,
/// latency percentiles, the server's RSS and thread count; then the drift and the per-operation figures.
/// </summary>
internal static class SoakScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = SoakOptions.Parse(args);
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Server:ModelCacheDirectory"] = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models"),
        });

        var operations = SoakMix.Operations;
        var byOperation = operations.ToDictionary(o => o.Name, _ => new SoakStats());
        var weights = operations.SelectMany(o => Enumerable.Repeat(o, o.Weight)).ToArray();
        var interval = new SoakStats();
        int exceptions = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(options.Minutes));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {options.Minutes} min, {options.Clients} clients, seed {options.Seed}, one row per {options.IntervalSeconds} s"));
        Console.WriteLine("| minute | requests | failed | p50 ms | p99 ms | RSS MiB | threads |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var samples = new List<(double Rss, int Threads)>();
        var clients = Enumerable.Range(0, options.Clients).Select(async client =>
        {
            var random = new Random(options.Seed + client);
            while (!stop.IsCancellationRequested)
            {
                var operation = weights[random.Next(weights.Length)];
                var watch = Stopwatch.StartNew();
                bool ok;
                try
                {
                    ok = await operation.Send(server.Client, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref exceptions);
                    ok = false;
                }

                var ms = watch.Elapsed.TotalMilliseconds;
                byOperation[operation.Name].Add(ms, ok);
                Volatile.Read(ref interval).Add(ms, ok);
            }
        }).ToArray();

        var started = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.IntervalSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var done = Interlocked.Exchange(ref interval, new SoakStats());
                var sample = server.Sample();
                samples.Add(sample);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {started.Elapsed.TotalMinutes:F1} | {done.Requests} | {done.Failures} | {done.Percentile(50):F1} | {done.Percentile(99):F1} | {sample.RssMiB:F0} | {sample.Threads} |"));
            }
        }
        catch (OperationCanceledException)
        {
            // The soak's time is up.
        }

        await Task.WhenAll(clients);
        Report(byOperation, samples, exceptions, server.HasExited);
        return byOperation.Values.Sum(s => s.Failures) == 0 && !server.HasExited ? 0 : 1;
    }

    private static void Report(Dictionary<string, SoakStats> byOperation, List<(double Rss, int Threads)> samples, int exceptions, bool exited)
    {
        Console.WriteLine();
        Console.WriteLine("| operation | requests | failed | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, stats) in byOperation)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {stats.Requests} | {stats.Failures} | {stats.Percentile(50):F1} | {stats.Percentile(99):F1} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {byOperation.Values.Sum(s => s.Requests)} requests, {byOperation.Values.Sum(s => s.Failures)} failed ({exceptions} transport errors); server {(exited ? "EXITED" : "still running")}"));
        if (samples.Count >= 2)
        {
            // Drift from the end of the first interval (models loaded, JIT warm) to the last.
            var (firstRss, firstThreads) = samples[0];
            var (lastRss, lastThreads) = samples[^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"drift after the first interval: RSS {firstRss:F0} -> {lastRss:F0} MiB ({lastRss - firstRss:+0;-0} MiB, max {samples.Max(s => s.Rss):F0}), threads {firstThreads} -> {lastThreads} (max {samples.Max(s => s.Threads)})"));
        }
    }
}
