namespace InferenceServer.Streaming;

/// <summary>
/// While a request waits in the admission queue, DeepSeek sends keep-alives so clients and proxies do not time out:
/// <c>: keep-alive</c> comments on streams, blank lines before a JSON body.
/// </summary>
internal static class KeepAlive
{
    /// <summary>Waits until <paramref name="started"/> completes, pinging every <paramref name="interval"/>; returns whether it pinged.</summary>
    public static async Task<bool> WaitAsync(Task started, TimeSpan interval, Func<CancellationToken, Task> ping, CancellationToken cancellationToken)
    {
        var pinged = false;
        while (!started.IsCompleted)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(interval, tick.Token);
            if (await Task.WhenAny(started, delay) == started)
            {
                await tick.CancelAsync();
                break;
            }

            await delay;
            await ping(cancellationToken);
            pinged = true;
        }

        return pinged;
    }
}
