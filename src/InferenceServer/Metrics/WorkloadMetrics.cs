using System.Diagnostics;
using Prometheus;

namespace InferenceServer.Metrics;

/// <summary>
/// Prometheus metrics of the embedding and image endpoints, next to the text scheduler's: requests running, finished
/// requests by outcome, end-to-end latency, and work done (inputs embedded, images generated).
/// </summary>
public sealed class WorkloadMetrics
{
    private const string Prefix = "inferenceserver_";
    private static readonly string[] Labels = ["model_name", "workload"];
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    private readonly Gauge _running;
    private readonly Counter _finished;
    private readonly Histogram _latency;
    private readonly Counter _items;

    public WorkloadMetrics(CollectorRegistry registry)
    {
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        _running = f.CreateGauge(Prefix + "workload_requests_running", "Embedding and image requests being served.", Labels);
        _finished = f.CreateCounter(Prefix + "workload_requests_total", "Finished embedding and image requests by outcome.", ["model_name", "workload", "outcome"]);
        _latency = f.CreateHistogram(Prefix + "workload_e2e_request_latency_seconds", "End-to-end time of embedding and image requests.",
            new HistogramConfiguration { LabelNames = Labels, Buckets = Buckets });
        _items = f.CreateCounter(Prefix + "workload_items_total", "Inputs embedded and images generated.", Labels);
    }

    /// <summary>Measures one request; dispose the result when it ends. Call <see cref="Request.Succeeded"/> on success.</summary>
    public Request Start(string model, string workload) => new(this, model, workload);

    /// <summary>One measured request.</summary>
    public sealed class Request : IDisposable
    {
        private readonly WorkloadMetrics _metrics;
        private readonly string _model;
        private readonly string _workload;
        private readonly long _start = Stopwatch.GetTimestamp();
        private string _outcome = "failed";

        internal Request(WorkloadMetrics metrics, string model, string workload)
        {
            _metrics = metrics;
            _model = model;
            _workload = workload;
            metrics._running.WithLabels(model, workload).Inc();
        }

        public void Succeeded(int items)
        {
            _outcome = "succeeded";
            _metrics._items.WithLabels(_model, _workload).Inc(items);
        }

        public void Dispose()
        {
            _metrics._running.WithLabels(_model, _workload).Dec();
            _metrics._finished.WithLabels(_model, _workload, _outcome).Inc();
            _metrics._latency.WithLabels(_model, _workload).Observe(Stopwatch.GetElapsedTime(_start).TotalSeconds);
        }
    }
}
