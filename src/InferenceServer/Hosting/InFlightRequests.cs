namespace InferenceServer.Hosting;

/// <summary>Counts API requests in progress, so a drain can wait for them to end.</summary>
internal sealed class InFlightRequests
{
    private int _count;
    private TaskCompletionSource? _idle;

    public int Count => Volatile.Read(ref _count);

    public void Enter() => Interlocked.Increment(ref _count);

    public void Exit()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            Volatile.Read(ref _idle)?.TrySetResult();
        }
    }

    /// <summary>True once none is running; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.CompareExchange(ref _idle, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        if (Count == 0)
        {
            return true;
        }

        try
        {
            await _idle!.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return Count == 0;
        }
    }
}
