namespace InferenceServer.Metrics;

/// <summary>Configuration section <c>Metrics</c>: what <c>/metrics</c> exposes besides our own series.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// Also expose the text scheduler's series under vLLM's names (<c>vllm:num_requests_waiting</c>,
    /// <c>vllm:kv_cache_usage_perc</c>, <c>vllm:time_to_first_token_seconds</c>, …) with a <c>model_name</c> label, so the
    /// Gateway API Inference Extension's endpoint picker, vLLM's Grafana dashboards and KEDA rules read them unchanged.
    /// Off by default: it doubles those series, and a Prometheus that also scrapes real vLLM pods would otherwise mix
    /// our replicas into every <c>vllm:</c> query without having been asked to.
    /// </summary>
    public bool VllmNames { get; set; }
}
