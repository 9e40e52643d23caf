namespace InferenceServer.Streaming;

/// <summary>
/// While a request waits in the admission queue, DeepSeek sends keep-alives so clients and proxies do not time out:
/// <c>: keep-alive</c> comments on streams, blank lines before a JSON body.
/// </summary>
internal static class KeepAlive
{
    private static readonly byte[] BlankLine = "\n"u8.ToArray();

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

    /// <summary>One blank line before a JSON body (the first one sends the 200 status line).</summary>
    public static async Task BlankLineAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
        }

        await response.Body.WriteAsync(BlankLine, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
