using InferenceServer.Engine.Generation;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InferenceServer.Metrics;

/// <summary>
/// The scheduler's measurements as Prometheus metrics, named after vLLM's with our prefix
/// (<c>inferenceserver_num_requests_running</c>, <c>…_time_to_first_token_seconds</c>, …), one registry per server;
/// with <see cref="MetricsOptions.VllmNames"/> the same measurements also go to vLLM's own names.
/// </summary>
internal sealed partial class PrometheusServingObserver : IServingObserver
{
    private const string Prefix = "inferenceserver_";
    private static readonly string[] ModelLabel = ["model_name"];
    private readonly ServingMetricSet[] _sets;
    private readonly Counter _prefillTokens;
    private readonly Counter _rejected;
    private readonly Counter _draftTokens;
    private readonly Counter _acceptedTokens;

    private readonly ILogger<PrometheusServingObserver> _logger;

    public PrometheusServingObserver(CollectorRegistry registry, IOptions<MetricsOptions> options, VllmExposition vllm, ILogger<PrometheusServingObserver> logger)
    {
        _logger = logger;
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        _sets = options.Value.VllmNames
            ? [ServingMetricSet.Ours(f), ServingMetricSet.Vllm(Prometheus.Metrics.WithCustomRegistry(vllm.Registry))]
            : [ServingMetricSet.Ours(f)];
        _prefillTokens = f.CreateCounter(Prefix + "prefill_tokens_total",
            "Prompt tokens computed by prefill runs (not those restored from the prefix cache, nor those the choices of one request share).", ModelLabel);
        _draftTokens = f.CreateCounter(Prefix + "spec_decode_num_draft_tokens_total", "Tokens drafted by prompt-lookup speculative decoding.", ModelLabel);
        _acceptedTokens = f.CreateCounter(Prefix + "spec_decode_num_accepted_tokens_total", "Drafted tokens the model accepted.", ModelLabel);
        _rejected = f.CreateCounter(Prefix + "request_rejected_total", "Requests refused because the admission queue was full.", ModelLabel);
    }

    public void RequestRejected(string model) => _rejected.WithLabels(model).Inc();

    public void RequestStarted(string model, TimeSpan queueTime)
    {
        foreach (var set in _sets)
        {
            set.QueueTime.WithLabels(model).Observe(queueTime.TotalSeconds);
        }
    }

    public void FirstToken(string model, TimeSpan timeToFirstToken)
    {
        foreach (var set in _sets)
        {
            set.TimeToFirstToken.WithLabels(model).Observe(timeToFirstToken.TotalSeconds);
        }
    }

    public void InterTokenLatency(string model, TimeSpan latency)
    {
        foreach (var set in _sets)
        {
            foreach (var histogram in set.InterTokenLatency)
            {
                histogram.WithLabels(model).Observe(latency.TotalSeconds);
            }
        }
    }

    public void RequestFinished(string model, FinishReason reason, int promptTokens, int completionTokens, TimeSpan endToEnd)
    {
        foreach (var set in _sets)
        {
            set.EndToEnd.WithLabels(model).Observe(endToEnd.TotalSeconds);
            set.PromptTokens.WithLabels(model).Inc(promptTokens);
            set.GenerationTokens.WithLabels(model).Inc(completionTokens);
            set.Finished.WithLabels(model, set.ReasonLabel(reason)).Inc();
        }
    }

    public void PrefixCacheLookup(string model, int promptTokens, int hitTokens)
    {
        foreach (var set in _sets)
        {
            set.PrefixQueries.WithLabels(model).Inc(promptTokens);
            set.PrefixHits.WithLabels(model).Inc(hitTokens);
        }
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
        foreach (var set in _sets)
        {
            set.Running.WithLabels(model).Set(running);
            set.Waiting.WithLabels(model).Set(waiting);
            set.KvUsage.WithLabels(model).Set(kvUsage);
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "A step of model {Model} failed; its running requests end with finish_reason aborted")]
    private static partial void LogStepFailed(ILogger logger, string model, Exception error);
}
