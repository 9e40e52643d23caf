using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// Runs of a vision graph shared across requests: a thread of its own takes every request's images waiting when it
/// is free (up to <see cref="MaxImagesPerRun"/>), runs the graph once for all of them, and hands each request its own
/// rows of the output. A lone request waits for nothing (no timer); requests that arrive while a run is in progress go
/// together in the next one. The image transform stays on each request's thread, where it runs in parallel.
/// </summary>
/// <typeparam name="TImage">A processed image, as the graph's run reads it.</typeparam>
internal sealed class VisionBatcher<TImage> : IDisposable
{
    private readonly Func<IReadOnlyList<TImage>, RunOptions, float[]> _run;
    private readonly Func<TImage, int> _rows;
    private readonly int _width;
    private readonly Queue<Job> _pending = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _runs;

    /// <param name="run">Runs the graph over images in order; returns their output rows, image after image.</param>
    /// <param name="rows">How many output rows an image has (its image tokens).</param>
    /// <param name="width">Floats per output row (the hidden size).</param>
    /// <param name="name">Names the thread.</param>
    public VisionBatcher(Func<IReadOnlyList<TImage>, RunOptions, float[]> run, Func<TImage, int> rows, int width, string name)
    {
        _run = run;
        _rows = rows;
        _width = width;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"vision:{name}" };
        _thread.Start();
    }

    /// <summary>
    /// The most images one run takes: a phi3v image is 17 crops of 3 × 336 × 336 floats (23 MiB of pixels), so a run of
    /// 8 holds 184 MiB (a Janus image 1.7 MiB). A request with more images than this still runs, alone.
    /// </summary>
    public const int MaxImagesPerRun = 8;

    /// <summary>Graph runs made since start, all requests together.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Requests queued and not yet taken into a run.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>A test's hook: runs on the batcher's thread before each graph run.</summary>
    internal Action? BeforeRun { get; set; }

    /// <summary>The graph's output rows for <paramref name="images"/>, from a run that may serve other requests too.</summary>
    public float[] Run(IReadOnlyList<TImage> images, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var job = new Job(images, cancellationToken);
        lock (_gate)
        {
            _pending.Enqueue(job);
        }

        _wake.Release();
        return job.Result.Task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Release();
        _thread.Join();
        FailPending();
        _wake.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _wake.Wait();
            while (Take() is { Count: > 0 } batch)
            {
                RunBatch(batch);
            }

            if (_stopping)
            {
                FailPending();
                return;
            }
        }
    }

    /// <summary>The waiting requests of the next run, in order (cancelled ones leave here).</summary>
    private List<Job> Take()
    {
        var batch = new List<Job>();
        var images = 0;
        lock (_gate)
        {
            while (_pending.TryPeek(out var next))
            {
                if (next.Cancellation.IsCancellationRequested)
                {
                    _pending.Dequeue().Result.TrySetCanceled(next.Cancellation);
                    continue;
                }

                if (batch.Count > 0 && images + next.Images.Count > MaxImagesPerRun)
                {
                    break;
                }

                batch.Add(_pending.Dequeue());
                images += next.Images.Count;
            }
        }

        return batch;
    }

    private void RunBatch(List<Job> batch)
    {
        using var run = new RunOptions();
        // The shared run stops early only when every request in it has left.
        var registrations = batch.Select(j => j.Cancellation.Register(() =>
        {
            if (batch.TrueForAll(b => b.Cancellation.IsCancellationRequested))
            {
                run.Terminate = true;
            }
        })).ToList();
        try
        {
            BeforeRun?.Invoke();
            var output = _run([.. batch.SelectMany(j => j.Images)], run);
            Interlocked.Increment(ref _runs);
            var offset = 0;
            foreach (var job in batch)
            {
                var length = job.Images.Sum(_rows) * _width;
                job.Result.TrySetResult(output.AsSpan(offset, length).ToArray());
                offset += length;
            }
        }
        catch (Exception e)
        {
            foreach (var job in batch)
            {
                if (job.Cancellation.IsCancellationRequested)
                {
                    job.Result.TrySetCanceled(job.Cancellation);
                }
                else
                {
                    job.Result.TrySetException(e);
                }
            }
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }
    }

    private void FailPending()
    {
        lock (_gate)
        {
            while (_pending.TryDequeue(out var job))
            {
                job.Result.TrySetException(new ObjectDisposedException(nameof(VisionBatcher<TImage>), "The model was unloaded."));
            }
        }
    }

    private sealed class Job(IReadOnlyList<TImage> images, CancellationToken cancellation)
    {
        public IReadOnlyList<TImage> Images { get; } = images;

        public CancellationToken Cancellation { get; } = cancellation;

        public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
