using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using InferenceServer.Engine.Videos;
using InferenceServer.Hosting;
using InferenceServer.Metrics;
using Microsoft.Extensions.Options;

namespace InferenceServer.Videos;

/// <summary>
/// Runs video jobs: one bounded queue per model (<c>Videos:MaxQueuedJobs</c>) drained by <c>Videos:JobsPerModel</c>
/// loops. A job moves queued → in_progress (progress after every denoising step) → completed with its files, or
/// failed with the reason; DELETE cancels it within one step. Restored queued jobs are queued again at start.
/// </summary>
public sealed partial class VideoWorker : BackgroundService
{
    private readonly VideoModels _models;
    private readonly VideoJobStore _store;
    private readonly VideoEncoder _encoder;
    private readonly VideoReferenceReader _references;
    private readonly VideoMetrics _metrics;
    private readonly VideoOptions _options;
    private readonly ILogger<VideoWorker> _logger;
    private readonly ConcurrentDictionary<string, Channel<VideoJob>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _cancels = new(StringComparer.Ordinal);

    public VideoWorker(VideoModels models, VideoJobStore store, VideoEncoder encoder, VideoReferenceReader references, VideoMetrics metrics,
        IOptions<VideoOptions> options, ILogger<VideoWorker> logger)
    {
        _metrics = metrics;
        _models = models;
        _store = store;
        _encoder = encoder;
        _references = references;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Queues the job; false when its model's queue is full.</summary>
    public bool TryEnqueue(VideoJob job)
    {
        var queue = _queues.GetOrAdd(job.Model, _ => NewQueue());
        _cancels[job.Id] = new CancellationTokenSource();
        if (queue.Writer.TryWrite(job))
        {
            _metrics.Queued(job.Model);
            return true;
        }

        _cancels.TryRemove(job.Id, out _);
        return false;
    }

    /// <summary>Stops the job at its next step (or before it starts).</summary>
    public void Cancel(string id)
    {
        if (_cancels.TryRemove(id, out var cancel))
        {
            cancel.Cancel();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var job in _store.Restored)
        {
            if (!_models.TryResolve(job.Model, out _) || !TryEnqueue(job))
            {
                Fail(job, "server_restarted", $"The server restarted and could not queue this job again (model '{job.Model}' is not served or its queue is full).");
            }
        }

        var loops = new List<Task>();
        foreach (var model in _models.All)
        {
            var queue = _queues.GetOrAdd(model.Id, _ => NewQueue());
            for (int i = 0; i < Math.Max(1, _options.JobsPerModel); i++)
            {
                // Not Task.Run(…, stoppingToken): a token cancelled before the loop starts (a start that fails right
                // after this one) would cancel the task itself, which the host logs as a failed BackgroundService with
                // a stack trace; DrainAsync ends quietly on a cancelled token on its own.
                loops.Add(Task.Run(() => DrainAsync(model, queue.Reader, stoppingToken), CancellationToken.None));
            }
        }

        return Task.WhenAll(loops);
    }

    private Channel<VideoJob> NewQueue() =>
        Channel.CreateBounded<VideoJob>(new BoundedChannelOptions(Math.Max(1, _options.MaxQueuedJobs)) { FullMode = BoundedChannelFullMode.Wait });

    private async Task DrainAsync(ServedVideoModel model, ChannelReader<VideoJob> reader, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in reader.ReadAllAsync(stoppingToken))
            {
                _metrics.Dequeued(model.Id);
                if (!_cancels.TryGetValue(job.Id, out var cancel))
                {
                    continue; // deleted while queued
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token, stoppingToken);
                await RunAsync(model, job, linked.Token, stoppingToken);
                _cancels.TryRemove(job.Id, out _);
                cancel.Dispose();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: an in-progress job is marked failed at the next start.
        }
    }

    private async Task RunAsync(ServedVideoModel model, VideoJob job, CancellationToken cancellationToken, CancellationToken stoppingToken)
    {
        _metrics.Started(model.Id);
        job.Status = VideoStatus.InProgress;
        _store.Save(job);
        string? outcome = null; // none when the server stops mid-job
        int frames = job.Seconds * job.Fps;
        long stepStart = Stopwatch.GetTimestamp();
        void OnStep(int step, int total)
        {
            // Step 0 is heard once the prompt (and reference) are encoded, so each later interval is one denoising step.
            long now = Stopwatch.GetTimestamp();
            if (step > 0)
            {
                _metrics.Step(model.Id, Stopwatch.GetElapsedTime(stepStart, now));
            }

            stepStart = now;
            job.Progress = step * 95 / total;
        }

        try
        {
            var request = new VideoGenerationRequest
            {
                Prompt = job.Prompt,
                NegativePrompt = job.NegativePrompt,
                Width = job.Width,
                Height = job.Height,
                Frames = VideoFrameRules.FramesToGenerate(frames),
                Steps = job.Steps,
                GuidanceScale = job.GuidanceScale,
                Seed = job.Seed,
                Image = job.HasReference ? _references.Decode(await File.ReadAllBytesAsync(_store.PathOf(job.Id, "reference"), cancellationToken)) : null,
            };

            // 0–95 over the denoising steps; the last 5 for decoding and encoding.
            var video = await DedicatedThread.RunAsync(() => model.Pipeline.Generate(request, OnStep, cancellationToken), cancellationToken);
            await _encoder.EncodeAsync(video, frames, job.Fps, _store.PathOf(job.Id, "video"), _store.PathOf(job.Id, "thumbnail"),
                _store.PathOf(job.Id, "spritesheet"), cancellationToken);
            job.Progress = 100;
            job.CompletedAt = _store.Now;
            job.ExpiresAt = job.CompletedAt + (long)(_options.LifetimeMinutes * 60);
            job.Status = VideoStatus.Completed;
            _store.Save(job);
            outcome = "completed";
            LogCompleted(_logger, job.Id, model.Id, video.Frames.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            LogCancelled(_logger, job.Id);
        }
        catch (Exception e)
        {
            outcome = "failed";
            LogFailed(_logger, job.Id, e);
            Fail(job, "generation_failed", $"The video could not be generated: {e.Message}");
        }
        finally
        {
            _metrics.Finished(model.Id, outcome);
        }
    }

    private void Fail(VideoJob job, string code, string message)
    {
        job.Status = VideoStatus.Failed;
        job.ErrorCode = code;
        job.ErrorMessage = message;
        _store.Save(job);
    }

    [LoggerMessage(EventId = 580, Level = LogLevel.Information, Message = "Video {VideoId} on {ModelId} completed: {Frames} frames")]
    private static partial void LogCompleted(ILogger logger, string videoId, string modelId, int frames);

    [LoggerMessage(EventId = 581, Level = LogLevel.Information, Message = "Video {VideoId} was cancelled")]
    private static partial void LogCancelled(ILogger logger, string videoId);

    [LoggerMessage(EventId = 582, Level = LogLevel.Error, Message = "Video {VideoId} failed")]
    private static partial void LogFailed(ILogger logger, string videoId, Exception exception);
}
