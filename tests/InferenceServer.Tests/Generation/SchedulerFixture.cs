using System.Text;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;

namespace InferenceServer.Tests.Generation;

/// <summary>Loads forge models with chosen scheduler settings and runs requests to the end.</summary>
internal static class SchedulerFixture
{
    public static readonly string Cache = Path.Combine(Path.GetTempPath(), "inferenceserver-unit-models");

    public static TextModel Random(int slots = 8, int chunk = 256, int prefixMiB = 0, int maxQueued = 64, int queueTimeoutSeconds = 600, IServingObserver? observer = null,
        RandomVariant variant = RandomVariant.FusedRotary, int kvMiB = 0) =>
        Load(DemoModels.EnsureRandom(Cache, variant), slots, chunk, prefixMiB, maxQueued, queueTimeoutSeconds, observer: observer, kvMiB: kvMiB);

    /// <summary>The random model with the prefix cache's disk tier in <paramref name="directory"/>.</summary>
    public static TextModel RandomOnDisk(string directory, int prefixMiB = 64, int diskMiB = 64) =>
        Load(DemoModels.EnsureRandom(Cache), 1, 256, prefixMiB, 64, 600, prefixDirectory: directory, prefixDiskMiB: diskMiB);

    public static TextModel Scripted(int slots = 2, int chunk = 256, int prefixMiB = 64, int maxQueued = 64, TimeProvider? clock = null, IServingObserver? observer = null) =>
        Load(DemoModels.EnsureScripted(Cache), slots, chunk, prefixMiB, maxQueued, 600, clock, observer: observer);

    /// <summary>Context of the loaded models: long enough that an endless script outlasts a busy test machine's delays.</summary>
    public const int Context = 4096;

    private static TextModel Load(string folder, int slots, int chunk, int prefixMiB, int maxQueued, int queueTimeoutSeconds, TimeProvider? clock = null,
        string? prefixDirectory = null, int prefixDiskMiB = 4096, IServingObserver? observer = null, int kvMiB = 0) =>
        TextModelLoader.Load(
            new ModelOptions
            {
                Id = "m",
                Path = folder,
                MaxContextLength = Context,
                MaxConcurrentSequences = slots,
                PrefillChunkTokens = chunk,
                PrefixCacheMiB = prefixMiB,
                MaxQueuedRequests = maxQueued,
                QueueTimeoutSeconds = queueTimeoutSeconds,
                PrefixCacheDirectory = prefixDirectory ?? string.Empty,
                PrefixCacheDiskMiB = prefixDiskMiB,
                KvCacheMiB = kvMiB,
            },
            // No huge pages: collapsing holds the process's memory map in bursts, stalling tests running beside it.
            new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false }),
            observer,
            clock);

    public static GenerationRequest Greedy(TextModel model, string user, int maxTokens, bool thinking = false) =>
        new(model.Tokenizer.Encode(model.Template.Render([new ChatMessage("user", user)], thinking).Text), maxTokens, SamplingOptions.Greedy, [], false);

    /// <summary>Reads a handle to the end: the text (reasoning and content joined) and the finish event.</summary>
    public static async Task<(string Text, GenerationFinished Finished)> ReadAsync(SequenceHandle handle)
    {
        var text = new StringBuilder();
        GenerationFinished? finished = null;
        await foreach (var e in handle.ReadAllAsync(CancellationToken.None))
        {
            if (e is TextDelta d)
            {
                text.Append(d.Reasoning).Append(d.Content);
            }
            else if (e is GenerationFinished f)
            {
                finished = f;
            }
        }

        return (text.ToString(), finished!);
    }

    /// <summary>Waits for the first text a handle produces, then hands the rest of the stream back.</summary>
    public static async Task<IAsyncEnumerator<GenerationEvent>> FirstTextAsync(SequenceHandle handle)
    {
        var events = handle.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        while (await events.MoveNextAsync())
        {
            if (events.Current is TextDelta)
            {
                return events;
            }
        }

        throw new InvalidOperationException("The sequence ended without text.");
    }

    /// <summary>
    /// Submits the requests in order, waiting for every third one's first text before submitting the next, so later
    /// requests join a batch that is already decoding; returns the handles (the caller disposes them) and each
    /// request's text and finish event.
    /// </summary>
    public static async Task<(List<SequenceHandle> Handles, (string Text, GenerationFinished Finished)[] Results)> SubmitStaggeredAsync(
        TextModel model, IReadOnlyList<GenerationRequest> requests)
    {
        var handles = new List<SequenceHandle>();
        var reads = new List<Task<(string Text, GenerationFinished Finished)>>();
        for (var i = 0; i < requests.Count; i++)
        {
            var h = model.Submit(requests[i], CancellationToken.None);
            handles.Add(h);
            reads.Add(i % 3 == 0 ? ReadRestAsync(await FirstTextAsync(h)) : ReadAsync(h));
        }

        return (handles, await Task.WhenAll(reads));
    }

    /// <summary>Reads a stream from its current event (its first text) to the end.</summary>
    private static async Task<(string Text, GenerationFinished Finished)> ReadRestAsync(IAsyncEnumerator<GenerationEvent> events)
    {
        var text = new StringBuilder();
        GenerationFinished? finished = null;
        do
        {
            if (events.Current is TextDelta d)
            {
                text.Append(d.Reasoning).Append(d.Content);
            }
            else if (events.Current is GenerationFinished f)
            {
                finished = f;
            }
        }
        while (await events.MoveNextAsync());

        await events.DisposeAsync();
        return (text.ToString(), finished!);
    }
}
