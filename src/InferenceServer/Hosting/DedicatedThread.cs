namespace InferenceServer.Hosting;

/// <summary>
/// Runs blocking work of seconds or minutes (a diffusion or video pipeline) on a thread of its own rather than a
/// thread-pool thread. With as many pool threads as cores, two long generations would otherwise hold the pool that
/// Kestrel needs to notice a client leaving (the cancellation that stops the loop) and to serve other requests,
/// until the pool's slow thread injection catches up.
/// </summary>
internal static class DedicatedThread
{
    public static Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
