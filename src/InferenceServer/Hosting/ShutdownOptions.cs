namespace InferenceServer.Hosting;

/// <summary>Configuration section <c>Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    /// <summary>
    /// After SIGTERM, how long running requests may go on before their generations are ended with
    /// <c>finish_reason: insufficient_system_resource</c>. Keep it below the orchestrator's grace period
    /// (Kubernetes <c>terminationGracePeriodSeconds</c>, <c>docker stop -t</c>).
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After the drain deadline, how long the ended streams get to write their last chunk.</summary>
    public TimeSpan AbortGrace { get; set; } = TimeSpan.FromSeconds(10);
}
