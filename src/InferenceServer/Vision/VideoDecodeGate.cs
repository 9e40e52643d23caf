using Microsoft.Extensions.Options;

namespace InferenceServer.Vision;

/// <summary>
/// Bounds the FFmpeg processes video parts start (<c>Vision:MaxConcurrentVideoDecodes</c>): each decode is a child
/// process working on the server's cores, so a burst of video requests waits here instead of starting one per request.
/// </summary>
public sealed class VideoDecodeGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public VideoDecodeGate(IOptions<VisionOptions> options)
    {
        _slots = new SemaphoreSlim(options.Value.MaxConcurrentVideoDecodes, options.Value.MaxConcurrentVideoDecodes);
    }

    /// <summary>A slot (dispose it to give it back), or null when none came free within <paramref name="wait"/>.</summary>
    public async Task<IDisposable?> EnterAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        await _slots.WaitAsync(wait, cancellationToken) ? new Slot(_slots) : null;

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
