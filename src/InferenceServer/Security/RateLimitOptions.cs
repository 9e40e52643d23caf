namespace InferenceServer.Security;

/// <summary>
/// Configuration section <c>RateLimits</c>, applied per API key (per client address when no keys are configured).
/// 0 turns a limit off; both are off by default.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests one key may start per <see cref="Window"/>.</summary>
    public int RequestsPerWindow { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests one key may have running at once (a stream counts until its <c>[DONE]</c>).</summary>
    public int ConcurrentRequests { get; set; }
}
