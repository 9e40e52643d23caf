using System.Runtime;

namespace InferenceServer.Hosting;

/// <summary>
/// Every two seconds: if large bodies came in and no request is running, one aggressive full collection, which compacts
/// the large-object heap and returns the freed memory to the system. Never while requests run, at most once per run of
/// large bodies, so serving never pays for it.
/// </summary>
internal sealed class LargeBodyMemoryTrimmer : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly LargeBodyMemory _memory;
    private readonly InFlightRequests _inFlight;

    public LargeBodyMemoryTrimmer(LargeBodyMemory memory, InFlightRequests inFlight)
    {
        _memory = memory;
        _inFlight = inFlight;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_inFlight.Count == 0 && _memory.TakePending())
                {
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
