using InferenceServer.Errors;
using Microsoft.Extensions.Options;

namespace InferenceServer.Images;

/// <summary>
/// Bounds image requests computed at once (<c>Images:MaxConcurrentRequests</c>, separate from text) with a bounded
/// wait; a request that cannot get a slot in time gets 503 with Retry-After. This is the seam where the shared
/// admission queue, metrics and per-key limits plug in: every image request passes <see cref="EnterAsync"/> once.
/// </summary>
public sealed class ImageAdmission : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _maxWait;

    public ImageAdmission(IOptions<ImageOptions> options)
    {
        _slots = new SemaphoreSlim(options.Value.MaxConcurrentRequests, options.Value.MaxConcurrentRequests);
        _maxWait = TimeSpan.FromSeconds(options.Value.MaxQueueWaitSeconds);
        MaxConcurrent = options.Value.MaxConcurrentRequests;
    }

    /// <summary>How many image requests may run at once.</summary>
    public int MaxConcurrent { get; }

    /// <summary>Image requests running now.</summary>
    public int Running => MaxConcurrent - _slots.CurrentCount;

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_maxWait, cancellationToken))
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable,
                "The server is overloaded with image requests; retry shortly.", ErrorEnvelopes.OverloadedType, null, ErrorEnvelopes.OverloadedType)
            {
                RetryAfterSeconds = 5,
            };
        }

        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
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
