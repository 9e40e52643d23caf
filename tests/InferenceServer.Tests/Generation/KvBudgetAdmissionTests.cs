using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.ModelForge;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// The KV budget: sequences reserve prompt + max_tokens, as many run as fit, the rest wait (never fail), and the
/// outputs are those of each request run alone, also while the rows' stride grows and shrinks under them.
/// </summary>
public sealed class KvBudgetAdmissionTests
{
    // The random model's keys and values take 1 KiB per token: 1 MiB holds 1,024 positions.
    private const int OneMiBTokens = 1024;

    private static readonly string[] Prompts =
    [
        "Hi",
        "Tell me about the weather in Paris today",
        "one two three",
        "What is a cat?",
        "Explain batching in one sentence",
        "x",
        "The end",
        "Count the stars",
        "A short question",
        string.Join(' ', Enumerable.Repeat("a prompt long enough to fill prefix cache blocks", 12)),
    ];

    [Fact]
    public async Task AsManySequencesRunAsTheirNeedsFitAndTheRestWaitInsteadOfFailing()
    {
        var room = new RoomRecorder();
        using var model = SchedulerFixture.Random(slots: 16, kvMiB: 1, observer: room);
        room.Model = model;
        Assert.Equal(OneMiBTokens, model.Decoder.Kv.TotalTokens);

        // Every request needs 200 positions (prompt + max_tokens): rows of 256, four of them in 1,024 positions,
        // where a full-context row each would have held one.
        var requests = Prompts[..^1].Select(p => Need(model, p, 200)).ToArray();
        var solo = await SoloAsync(requests.Select(r => (r.PromptTokens, r.MaxTokens)).ToArray());
        var handles = requests.Select(r => model.Submit(r, CancellationToken.None)).ToArray();
        var batched = await Task.WhenAll(handles.Select(SchedulerFixture.ReadAsync));

        Assert.Equal(4, room.MostRunning);
        Assert.Empty(room.Overcommits);
        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(solo[i], batched[i].Text);
        }

        // The comparison means something only if the requests really ran for a while.
        Assert.True(batched.Count(b => b.Finished.Usage.CompletionTokens >= 20) >= requests.Length / 2);

        foreach (var h in handles)
        {
            h.Dispose();
        }
    }

    [Theory]
    [InlineData(RandomVariant.FusedRotary)]
    [InlineData(RandomVariant.ConcatKv)] // its stride is always the longest need admitted: it shrinks at admissions too
    public async Task MixedNeedsJoiningAndLeavingMidStreamKeepTheirSoloTokens(RandomVariant variant)
    {
        var room = new RoomRecorder();
        // 2,048 positions, prefill chunks of 16: the stride follows the longest need admitted (64 up to 1,024 and back),
        // rows move under running streams, and the long requests wait until enough short ones have left.
        using var model = SchedulerFixture.Random(slots: 16, chunk: 16, prefixMiB: 16, kvMiB: 2, observer: room, variant: variant);
        room.Model = model;
        int[] outputs = [40, 700, 8, 120, 950, 30, 300, 16, 500, 60];
        var requests = Prompts.Select((p, i) => SchedulerFixture.Greedy(model, p, outputs[i])).ToArray();
        var solo = await SoloAsync(requests.Select(r => (r.PromptTokens, r.MaxTokens)).ToArray(), variant);

        // Every third request streams before the next ones arrive, so later admissions relayout running rows.
        var (handles, batched) = await SchedulerFixture.SubmitStaggeredAsync(model, requests);
        Assert.Empty(room.Overcommits);
        Assert.True(room.Strides.Count >= 3, $"the stride took only {string.Join(", ", room.Strides)}");
        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(solo[i], batched[i].Text);
        }

        // The prefix cache still serves under the moving layout: the same prompt again restores its blocks.
        using var again = model.Submit(requests[^1], CancellationToken.None);
        var repeat = await SchedulerFixture.ReadAsync(again);
        Assert.True(repeat.Finished.Usage.CachedPromptTokens >= 64);
        Assert.Equal(solo[^1], repeat.Text);
        foreach (var h in handles)
        {
            h.Dispose();
        }
    }

    [Fact]
    public void ABudgetSmallerThanTheContextCutsTheContextToWhatItHolds()
    {
        using var model = SchedulerFixture.Random(slots: 4, kvMiB: 1);
        Assert.Equal(OneMiBTokens, model.ContextLength);
        Assert.False(model.KvBudget.Derived);
    }

    [Fact]
    public void ADerivedBudgetHoldsTheRowCapInFullContextsAtMostAQuarterOfTheMachine()
    {
        var options = new ModelOptions { Id = "m", MaxConcurrentSequences = 16 };
        var roomy = KvBudget.For(options, 4096, 1024, machineBytes: 64L << 30);
        Assert.Equal(16L * 4096, roomy.Tokens);
        Assert.True(roomy.Derived);

        var small = KvBudget.For(options, 4096, 1024, machineBytes: 64L << 20);
        Assert.Equal((64L << 20) / 4 / 1024, small.Tokens);

        // Never less than one full context.
        Assert.Equal(4096, KvBudget.For(options, 4096, 1024, machineBytes: 1L << 20).Tokens);
    }

    [Theory]
    [InlineData(1 << 20, "more than the")]
    [InlineData(1, "at least 16 are needed")]
    public void AnUnusableBudgetStopsTheStartSayingWhy(int miB, string reason)
    {
        var options = new ModelOptions { Id = "m", KvCacheMiB = miB };
        var e = Assert.Throws<ModelLoadException>(() => KvBudget.For(options, 4096, 1L << 20, machineBytes: 1L << 30));
        Assert.Contains("KvCacheMiB", e.Message);
        Assert.Contains(reason, e.Message);
    }

    private static GenerationRequest Need(TextModel model, string prompt, int need)
    {
        var request = SchedulerFixture.Greedy(model, prompt, 1);
        return request with { MaxTokens = need - request.PromptTokens.Count };
    }

    private static async Task<string[]> SoloAsync((IReadOnlyList<int> Prompt, int MaxTokens)[] requests, RandomVariant variant = RandomVariant.FusedRotary)
    {
        using var alone = SchedulerFixture.Random(slots: 1, variant: variant);
        var texts = new string[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            var r = new GenerationRequest(requests[i].Prompt, requests[i].MaxTokens, SamplingOptions.Greedy, [], false);
            using var h = alone.Submit(r, CancellationToken.None);
            texts[i] = (await SchedulerFixture.ReadAsync(h)).Text;
        }

        return texts;
    }

    /// <summary>After every step, on the scheduler's thread: rows running, the stride, and any step where rows × stride passed the budget.</summary>
    private sealed class RoomRecorder : IServingObserver
    {
        public TextModel? Model { get; set; }

        public int MostRunning { get; private set; }

        public List<string> Overcommits { get; } = [];

        public HashSet<int> Strides { get; } = [];

        public void SchedulerState(string model, int running, int waiting, double kvUsage)
        {
            if (Model is null)
            {
                return;
            }

            var kv = Model.Decoder.Kv;
            MostRunning = Math.Max(MostRunning, running);
            if (running > 0)
            {
                Strides.Add(kv.Stride);
            }

            if ((long)running * kv.Stride > kv.TotalTokens || running > kv.MaxRows)
            {
                Overcommits.Add($"{running} rows × {kv.Stride} > {kv.TotalTokens}");
            }
        }

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

        public void RequestFinished(string model, FinishReason reason, int promptTokens, int completionTokens, TimeSpan endToEnd)
        {
        }

        public void PrefixCacheLookup(string model, int promptTokens, int hitTokens)
        {
        }
    }
}
