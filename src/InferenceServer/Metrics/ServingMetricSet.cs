using InferenceServer.Engine.Generation;
using Prometheus;

namespace InferenceServer.Metrics;

/// <summary>
/// One naming of the scheduler's serving series: ours (<c>inferenceserver_…</c>) or vLLM's (<c>vllm:…</c>, with vLLM's
/// buckets and finish reasons). <see cref="PrometheusServingObserver"/> feeds every set from the same calls.
/// </summary>
internal sealed class ServingMetricSet
{
    private static readonly string[] ModelLabel = ["model_name"];
    private static readonly double[] OurLatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300, 600];

    // vllm/v1/metrics/loggers.py (PrometheusStatLogger): the buckets its dashboards' thresholds were drawn against.
    private static readonly double[] VllmTtftBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
    private static readonly double[] VllmTokenBuckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
    private static readonly double[] VllmRequestBuckets = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    private readonly Func<FinishReason, string> _reasonLabel;

    private ServingMetricSet(Func<FinishReason, string> reasonLabel) => _reasonLabel = reasonLabel;

    public required Gauge Running { get; init; }

    public required Gauge Waiting { get; init; }

    public required Gauge KvUsage { get; init; }

    public required Histogram QueueTime { get; init; }

    public required Histogram TimeToFirstToken { get; init; }

    /// <summary>One or more names for the same observations (vLLM renamed <c>time_per_output_token</c> and keeps both).</summary>
    public required Histogram[] InterTokenLatency { get; init; }

    public required Histogram EndToEnd { get; init; }

    public required Counter PromptTokens { get; init; }

    public required Counter GenerationTokens { get; init; }

    public required Counter PrefixQueries { get; init; }

    public required Counter PrefixHits { get; init; }

    public required Counter Finished { get; init; }

    public string ReasonLabel(FinishReason reason) => _reasonLabel(reason);

    public static ServingMetricSet Ours(MetricFactory f)
    {
        const string P = "inferenceserver_";
        return new ServingMetricSet(r => r.ToString().ToLowerInvariant())
        {
            Running = f.CreateGauge(P + "num_requests_running", "Requests being computed (prefill or decode).", ModelLabel),
            Waiting = f.CreateGauge(P + "num_requests_waiting", "Requests waiting in the admission queue.", ModelLabel),
            KvUsage = f.CreateGauge(P + "kv_cache_usage_perc", "Share of the KV cache rows' positions in use (0..1).", ModelLabel),
            QueueTime = Histogram(f, P + "request_queue_time_seconds", "Time from arrival to the start of prefill.", OurLatencyBuckets),
            TimeToFirstToken = Histogram(f, P + "time_to_first_token_seconds", "Time from arrival to the first generated token.", OurLatencyBuckets),
            InterTokenLatency = [Histogram(f, P + "inter_token_latency_seconds", "Time between two generated tokens of a request.", OurLatencyBuckets)],
            EndToEnd = Histogram(f, P + "e2e_request_latency_seconds", "Time from arrival to the end of a request.", OurLatencyBuckets),
            GenerationTokens = f.CreateCounter(P + "generation_tokens_total", "Generated tokens of finished requests.", ModelLabel),
            PromptTokens = f.CreateCounter(P + "prompt_tokens_total", "Prompt tokens of finished requests.", ModelLabel),
            PrefixQueries = f.CreateCounter(P + "prefix_cache_queries_total", "Prompt tokens looked up in the prefix cache.", ModelLabel),
            PrefixHits = f.CreateCounter(P + "prefix_cache_hits_total", "Prompt tokens served from the prefix cache.", ModelLabel),
            Finished = f.CreateCounter(P + "request_success_total", "Finished requests by finish reason.", ["model_name", "finished_reason"]),
        };
    }

    /// <summary>
    /// vLLM V1's names, types and help texts (vllm/v1/metrics/loggers.py), without its <c>engine</c> label; registered
    /// as <c>vllm_…</c>, exposed as <c>vllm:…</c> by <see cref="VllmExposition"/>.
    /// </summary>
    public static ServingMetricSet Vllm(MetricFactory f)
    {
        const string P = VllmExposition.RegisteredPrefix;
        return new ServingMetricSet(VllmReason)
        {
            Running = f.CreateGauge(P + "num_requests_running", "Number of requests in model execution batches.", ModelLabel),
            Waiting = f.CreateGauge(P + "num_requests_waiting", "Number of requests waiting to be processed.", ModelLabel),
            KvUsage = f.CreateGauge(P + "kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", ModelLabel),
            QueueTime = Histogram(f, P + "request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", VllmRequestBuckets),
            TimeToFirstToken = Histogram(f, P + "time_to_first_token_seconds", "Histogram of time to first token in seconds.", VllmTtftBuckets),
            InterTokenLatency =
            [
                Histogram(f, P + "inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", VllmTokenBuckets),
                Histogram(f, P + "time_per_output_token_seconds", "Histogram of time per output token in seconds.", VllmTokenBuckets),
            ],
            EndToEnd = Histogram(f, P + "e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", VllmRequestBuckets),
            PromptTokens = f.CreateCounter(P + "prompt_tokens_total", "Number of prefill tokens processed.", ModelLabel),
            GenerationTokens = f.CreateCounter(P + "generation_tokens_total", "Number of generation tokens processed.", ModelLabel),
            PrefixQueries = f.CreateCounter(P + "prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.", ModelLabel),
            PrefixHits = f.CreateCounter(P + "prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.", ModelLabel),
            Finished = f.CreateCounter(P + "request_success_total", "Count of successfully processed requests.", ["model_name", "finished_reason"]),
        };
    }

    /// <summary>vLLM's three finish reasons: a tool call ends like a stop; every other end is an abort.</summary>
    private static string VllmReason(FinishReason reason) => reason switch
    {
        FinishReason.Stop or FinishReason.ToolCalls => "stop",
        FinishReason.Length => "length",
        _ => "abort",
    };

    private static Histogram Histogram(MetricFactory f, string name, string help, double[] buckets) =>
        f.CreateHistogram(name, help, new HistogramConfiguration { LabelNames = ModelLabel, Buckets = buckets });
}
