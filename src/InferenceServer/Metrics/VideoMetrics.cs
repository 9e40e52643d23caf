using Prometheus;

namespace InferenceServer.Metrics;

/// <summary>
/// Prometheus metrics of <c>/v1/videos</c> jobs, in the server's registry beside the text and workload series: jobs
/// queued and running per model, finished jobs by outcome (completed, failed, cancelled), and the time of each
/// denoising step (all the transformer runs of one step, guidance included).
/// </summary>
public sealed class VideoMetrics
{
    private const string Prefix = "inferenceserver_video_";
    private static readonly string[] Model = ["model_name"];
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
    private readonly Gauge _queued;
    private readonly Gauge _running;
    private readonly Counter _finished;
    private readonly Histogram _step;

    public VideoMetrics(CollectorRegistry registry)
    {
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        _queued = f.CreateGauge(Prefix + "jobs_queued", "Video jobs waiting for a slot.", Model);
        _running = f.CreateGauge(Prefix + "jobs_running", "Video jobs being generated.", Model);
        _finished = f.CreateCounter(Prefix + "jobs_total", "Finished video jobs by outcome: completed, failed or cancelled.", ["model_name", "outcome"]);
        _step = f.CreateHistogram(Prefix + "denoising_step_seconds", "Time of one denoising step of a video job.",
            new HistogramConfiguration { LabelNames = Model, Buckets = Buckets });
    }

    public void Queued(string model) => _queued.WithLabels(model).Inc();

    public void Dequeued(string model) => _queued.WithLabels(model).Dec();

    public void Started(string model) => _running.WithLabels(model).Inc();

    /// <summary>A job left its slot with <paramref name="outcome"/> (<c>completed</c>, <c>failed</c>, <c>cancelled</c>; null: the server stopped).</summary>
    public void Finished(string model, string? outcome)
    {
        _running.WithLabels(model).Dec();
        if (outcome is not null)
        {
            _finished.WithLabels(model, outcome).Inc();
        }
    }

    public void Step(string model, TimeSpan duration) => _step.WithLabels(model).Observe(duration.TotalSeconds);
}
