using InferenceServer.Engine.Generation;
using Prometheus;

namespace InferenceServer.Metrics;

/// <summary>
/// The scheduler's measurements as Prometheus metrics, named after vLLM's with our prefix
/// (<c>inferenceserver_num_requests_running</c>, <c>…_time_to_first_token_seconds</c>, …), one registry per server.
/// </summary>
internal sealed partial class PrometheusServingObserver : IServingObserver
{
    private const string Prefix = "inferenceserver_";
    private static readonly string[] ModelLabel = ["model_name"];
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300, 600];
    private readonly Gauge _running;
    private readonly Gauge _waiting;
    private readonly Gauge _kvUsage;
    private readonly Histogram _queueTime;
    private readonly Histogram _ttft;
    private readonly Histogram _itl;
    private readonly Histogram _e2e;
    private readonly Counter _generationTokens;
    private readonly Counter _promptTokens;
    private readonly Counter _prefixQueries;
    private readonly Counter _prefixHits;
    private readonly Counter _prefillTokens;
    private readonly Counter _rejected;
    private readonly Counter _draftTokens;
    private readonly Counter _acceptedTokens;
    private readonly Counter _finished;

    private readonly ILogger<PrometheusServingObserver> _logger;

    public PrometheusServingObserver(CollectorRegistry registry, ILogger<PrometheusServingObserver> logger)
    {
        _logger = logger;
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        _running = f.CreateGauge(Prefix + "num_requests_running", "Requests being computed (prefill or decode).", ModelLabel);
        _waiting = f.CreateGauge(Prefix + "num_requests_waiting", "Requests waiting in the admission queue.", ModelLabel);
        _kvUsage = f.CreateGauge(Prefix + "kv_cache_usage_perc", "Share of the KV cache rows' positions in use (0..1).", ModelLabel);
        _queueTime = Latency(f, "request_queue_time_seconds", "Time from arrival to the start of prefill.");
        _ttft = Latency(f, "time_to_first_token_seconds", "Time from arrival to the first generated token.");
        _itl = Latency(f, "inter_token_latency_seconds", "Time between two generated tokens of a request.");
        _e2e = Latency(f, "e2e_request_latency_seconds", "Time from arrival to the end of a request.");
        _generationTokens = f.CreateCounter(Prefix + "generation_tokens_total", "Generated tokens of finished requests.", ModelLabel);
        _promptTokens = f.CreateCounter(Prefix + "prompt_tokens_total", "Prompt tokens of finished requests.", ModelLabel);
        _prefixQueries = f.CreateCounter(Prefix + "prefix_cache_queries_total", "Prompt tokens looked up in the prefix cache.", ModelLabel);
        _prefixHits = f.CreateCounter(Prefix + "prefix_cache_hits_total", "Prompt tokens served from the prefix cache.", ModelLabel);
        _prefillTokens = f.CreateCounter(Prefix + "prefill_tokens_total",
            "Prompt tokens computed by prefill runs (not those restored from the prefix cache, nor those the choices of one request share).", ModelLabel);
        _draftTokens = f.CreateCounter(Prefix + "spec_decode_num_draft_tokens_total", "Tokens drafted by prompt-lookup speculative decoding.", ModelLabel);
        _acceptedTokens = f.CreateCounter(Prefix + "spec_decode_num_accepted_tokens_total", "Drafted tokens the model accepted.", ModelLabel);
        _rejected = f.CreateCounter(Prefix + "request_rejected_total", "Requests refused because the admission queue was full.", ModelLabel);
        _finished = f.CreateCounter(Prefix + "request_success_total", "Finished requests by finish reason.", ["model_name", "finished_reason"]);
    }

    public void RequestRejected(string model) => _rejected.WithLabels(model).Inc();

    public void RequestStarted(string model, TimeSpan queueTime) => _queueTime.WithLabels(model).Observe(queueTime.TotalSeconds);

    public void FirstToken(string model, TimeSpan timeToFirstToken) => _ttft.WithLabels(model).Observe(timeToFirstToken.TotalSeconds);

    public void InterTokenLatency(string model, TimeSpan latency) => _itl.WithLabels(model).Observe(latency.TotalSeconds);

    public void RequestFinished(string model, FinishReason reason, int promptTokens, int completionTokens, TimeSpan endToEnd)
    {
        _e2e.WithLabels(model).Observe(endToEnd.TotalSeconds);
        _promptTokens.WithLabels(model).Inc(promptTokens);
        _generationTokens.WithLabels(model).Inc(completionTokens);
        _finished.WithLabels(model, reason.ToString().ToLowerInvariant()).Inc();
    }

    public void PrefixCacheLookup(string model, int promptTokens, int hitTokens)
    {
        _prefixQueries.WithLabels(model).Inc(promptTokens);
        _prefixHits.WithLabels(model).Inc(hitTokens);
    }

    /// <summary>Logged, not counted: the requests it ended are counted by <see cref="RequestFinished"/> as <c>aborted</c>.</summary>
    public void StepFailed(string model, Exception error) => LogStepFailed(_logger, model, error);

    public void PrefillComputed(string model, int tokens) => _prefillTokens.WithLabels(model).Inc(tokens);

    public void Speculated(string model, int draftTokens, int acceptedTokens)
    {
        _draftTokens.WithLabels(model).Inc(draftTokens);
        _acceptedTokens.WithLabels(model).Inc(acceptedTokens);
    }

    public void SchedulerState(string model, int running, int waiting, double kvUsage)
    {
        _running.WithLabels(model).Set(running);
        _waiting.WithLabels(model).Set(waiting);
        _kvUsage.WithLabels(model).Set(kvUsage);
    }

    private static Histogram Latency(MetricFactory f, string name, string help) =>
        f.CreateHistogram(Prefix + name, help, new HistogramConfiguration { LabelNames = ModelLabel, Buckets = LatencyBuckets });

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "A step of model {Model} failed; its running requests end with finish_reason aborted")]
    private static partial void LogStepFailed(ILogger logger, string model, Exception error);
}
