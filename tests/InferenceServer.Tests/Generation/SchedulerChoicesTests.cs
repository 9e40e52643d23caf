using System.Text;
using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// A request with n choices: one prefill of its prompt shared by all, each choice sampled on its own (a seeded
/// request's choice k is what a single request with seed + k gets), and the choices count against the queue bound.
/// </summary>
public sealed class SchedulerChoicesTests
{
    private const string Prompt = "Tell me a story about a lighthouse keeper and the sea, with a twist at the end";

    /// <param name="slots">Rows of the model: with fewer than n, some choices wait and get the prompt's KV from a snapshot.</param>
    /// <param name="chunk">Prefill chunk: a small one spreads the prompt over steps while followers wait in their rows.</param>
    [Theory]
    [InlineData(4, 256, 3)]
    [InlineData(4, 8, 4)]
    [InlineData(2, 8, 5)]
    public async Task EachChoiceIsTheSingleRequestWithSeedPlusItsIndexFromOnePrefill(int slots, int chunk, int n)
    {
        var singles = new List<string>();
        using (var alone = SchedulerFixture.Random(slots: 1))
        {
            for (var k = 0; k < n; k++)
            {
                using var h = alone.Submit(Seeded(alone, 40 + k), CancellationToken.None);
                singles.Add((await SchedulerFixture.ReadAsync(h)).Text);
            }
        }

        var observer = new PrefillCounter();
        using var model = SchedulerFixture.Random(slots: slots, chunk: chunk, observer: observer);
        var request = Seeded(model, 40);
        using var handle = model.Submit(request, n, CancellationToken.None);
        var (texts, finishes) = await ReadChoicesAsync(handle);

        Assert.Equal(singles, texts);
        Assert.True(texts.Distinct().Count() > 1, "the choices were not sampled independently");
        Assert.Equal(request.PromptTokens.Count, observer.Prefilled);
        Assert.Equal(request.PromptTokens.Count, observer.PromptTokensOfFinished);
        Assert.All(finishes, f => Assert.Equal(request.PromptTokens.Count, f!.Usage.PromptTokens));
    }

    [Fact]
    public async Task ChoicesCountAgainstTheQueueBound()
    {
        using var model = SchedulerFixture.Scripted(slots: 1, maxQueued: 3);
        using var running = model.Submit(SchedulerFixture.Greedy(model, "forever", 3000), CancellationToken.None);
        await running.Started;
        Assert.Throws<QueueFullException>(() => model.Submit(SchedulerFixture.Greedy(model, "Hi", 4), 4, CancellationToken.None));
        using var three = model.Submit(SchedulerFixture.Greedy(model, "Hi", 4), 3, CancellationToken.None);
        Assert.Throws<QueueFullException>(() => model.Submit(SchedulerFixture.Greedy(model, "Hi", 4), CancellationToken.None));
    }

    [Fact]
    public async Task AChoiceWaitingForItsSiblingsRowDoesNotTimeOut()
    {
        var clock = new ManualClock();
        using var model = SchedulerFixture.Scripted(slots: 1, clock: clock);
        using var handle = model.Submit(SchedulerFixture.Greedy(model, "forever", 60), 2, CancellationToken.None);
        var events = handle.ReadChoicesAsync(CancellationToken.None).GetAsyncEnumerator();
        var finishes = new List<GenerationFinished>();
        while (await events.MoveNextAsync() && events.Current.Event is not TextDelta)
        {
        }

        // Choice 0 holds the only row; choice 1 waits behind it past the queue timeout, as part of a running request.
        clock.Advance(TimeSpan.FromMinutes(11));
        while (await events.MoveNextAsync())
        {
            if (events.Current.Event is GenerationFinished f)
            {
                finishes.Add(f);
            }
        }

        await events.DisposeAsync();
        Assert.Equal(2, finishes.Count);
        Assert.All(finishes, f => Assert.Equal(60, f.Usage.CompletionTokens));
    }

    [Fact]
    public async Task DisposingTheHandleCancelsEveryChoice()
    {
        using var model = SchedulerFixture.Scripted(slots: 4);
        var ended = new List<GenerationReport>();
        var allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.GenerationEnded += r =>
        {
            lock (ended)
            {
                ended.Add(r);
                if (ended.Count == 3)
                {
                    allEnded.TrySetResult();
                }
            }
        };

        var handle = model.Submit(SchedulerFixture.Greedy(model, "forever", 3000), 3, CancellationToken.None);
        var seen = new HashSet<int>();
        await foreach (var e in handle.ReadChoicesAsync(CancellationToken.None))
        {
            if (e.Event is TextDelta && seen.Add(e.Index) && seen.Count == 3)
            {
                break;
            }
        }

        handle.Dispose();
        await allEnded.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(ended, r => Assert.Equal(FinishReason.Cancelled, r.Reason));
        Assert.All(ended, r => Assert.True(r.CompletionTokens < 3000));

        // All four rows are free again: four greedy choices of a new request run side by side, each the scripted text.
        using var one = model.Submit(SchedulerFixture.Greedy(model, "Hi", 8), CancellationToken.None);
        var (single, _) = await SchedulerFixture.ReadAsync(one);
        using var next = model.Submit(SchedulerFixture.Greedy(model, "Hi", 8), 4, CancellationToken.None);
        var (texts, finishes) = await ReadChoicesAsync(next);
        Assert.NotEmpty(single);
        Assert.All(texts, t => Assert.Equal(single, t));
        Assert.All(finishes, f => Assert.Equal(FinishReason.Length, f!.Reason));
    }

    private static GenerationRequest Seeded(Engine.Models.TextModel model, long seed) =>
        SchedulerFixture.Greedy(model, Prompt, 24) with { Sampling = new SamplingOptions(Temperature: 1.5f, Seed: seed) };

    private static async Task<(List<string> Texts, List<GenerationFinished?> Finishes)> ReadChoicesAsync(SequenceHandle handle)
    {
        var texts = Enumerable.Range(0, handle.Choices).Select(_ => new StringBuilder()).ToList();
        var finishes = new List<GenerationFinished?>(new GenerationFinished?[handle.Choices]);
        await foreach (var (index, e) in handle.ReadChoicesAsync(CancellationToken.None))
        {
            if (e is TextDelta d)
            {
                texts[index].Append(d.Reasoning).Append(d.Content);
            }
            else if (e is GenerationFinished f)
            {
                Assert.Null(finishes[index]);
                finishes[index] = f;
            }
        }

        Assert.All(finishes, Assert.NotNull);
        return (texts.Select(t => t.ToString()).ToList(), finishes);
    }

    /// <summary>Counts the prompt tokens prefill runs computed and the prompt tokens finished requests reported.</summary>
    private sealed class PrefillCounter : IServingObserver
    {
        private int _prefilled;
        private int _promptTokens;

        public int Prefilled => Volatile.Read(ref _prefilled);

        public int PromptTokensOfFinished => Volatile.Read(ref _promptTokens);

        public void PrefillComputed(string model, int tokens) => Interlocked.Add(ref _prefilled, tokens);

        public void RequestFinished(string model, FinishReason reason, int promptTokens, int completionTokens, TimeSpan endToEnd) =>
            Interlocked.Add(ref _promptTokens, promptTokens);

        public void RequestRejected(string model)
        {
        }

        public void RequestStarted(string model, TimeSpan queueTime)
        {
        }

        public void FirstToken(string model, TimeSpan timeToFirstToken)
        {
        }

        public void InterTokenLatency(string model, TimeSpan latency)
        {
        }

        public void PrefixCacheLookup(string model, int promptTokens, int hitTokens)
        {
        }

        public void SchedulerState(string model, int running, int waiting, double kvUsage)
        {
        }
    }
}
