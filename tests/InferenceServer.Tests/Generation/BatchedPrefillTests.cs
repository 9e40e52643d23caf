using System.Text;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.ModelForge;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// Several waiting prompts prefilled in one run (rows right-padded to the longest) give every request exactly the
/// greedy tokens it gets prefilled alone, on each decoder layout the forge writes; a request's <c>n</c> choices still
/// share one prefill, and a prefix-cache hit still skips its cached tokens.
/// </summary>
public sealed class BatchedPrefillTests
{
    private static readonly string[] Prompts =
    [
        "Hi",
        "Tell me about the weather in Paris today",
        "x",
        string.Join(' ', Enumerable.Repeat("many words make a long prompt", 6)),
        "What is a cat?",
        "Explain batching in one sentence, please",
    ];

    [Theory]
    [InlineData(RandomVariant.FusedRotary)]
    [InlineData(RandomVariant.PositionIds)]
    [InlineData(RandomVariant.Int4)]
    [InlineData(RandomVariant.ConcatKv)]
    public async Task PromptsOfDifferentLengthsPrefilledTogetherGetTheirSoloTokens(RandomVariant variant)
    {
        var solo = new List<(string, GenerationFinished)>();
        using (var alone = SchedulerFixture.Random(slots: 1, variant: variant))
        {
            foreach (var p in Prompts)
            {
                using var h = alone.Submit(SchedulerFixture.Greedy(alone, p, 16), CancellationToken.None);
                solo.Add(await SchedulerFixture.ReadAsync(h));
            }
        }

        var steps = new StepRecorder();
        using var model = SchedulerFixture.Random(slots: 8, chunk: 1024, observer: steps, variant: variant);
        var handles = await SubmitTogetherAsync(model, steps, [.. Prompts.Select(p => (p, 1))]);
        var batched = await Task.WhenAll(handles.Select(SchedulerFixture.ReadAsync));
        foreach (var h in handles)
        {
            h.Dispose();
        }

        // One run took all of them (after the trigger's own run).
        Assert.Contains(steps.RunsPerStep().SelectMany(r => r), rows => rows == Prompts.Length);
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(solo[i].Item1, batched[i].Item1);
            Assert.Equal(solo[i].Item2.Reason, batched[i].Item2.Reason);
            Assert.Equal(solo[i].Item2.Usage.CompletionTokens, batched[i].Item2.Usage.CompletionTokens);
        }

        Assert.True(solo.Count(s => s.Item2.Usage.CompletionTokens >= 8) >= Prompts.Length / 2);
    }

    [Fact]
    public async Task ChoicesOfARequestInABatchedRunShareOnePrefill()
    {
        string expected;
        using (var alone = SchedulerFixture.Random(slots: 1))
        {
            using var h = alone.Submit(SchedulerFixture.Greedy(alone, Prompts[1], 16), CancellationToken.None);
            expected = (await SchedulerFixture.ReadAsync(h)).Text;
        }

        var steps = new StepRecorder();
        using var model = SchedulerFixture.Random(slots: 8, chunk: 1024, observer: steps);
        var handles = await SubmitTogetherAsync(model, steps, [(Prompts[0], 1), (Prompts[1], 3), (Prompts[3], 1)]);
        var texts = new[] { new StringBuilder(), new StringBuilder(), new StringBuilder() };
        await foreach (var (index, e) in handles[1].ReadChoicesAsync(CancellationToken.None))
        {
            if (e is TextDelta d)
            {
                texts[index].Append(d.Reasoning).Append(d.Content);
            }
        }

        await SchedulerFixture.ReadAsync(handles[0]);
        await SchedulerFixture.ReadAsync(handles[2]);
        foreach (var h in handles)
        {
            h.Dispose();
        }

        // Greedy choices are the request alone; the three prompts were computed once each, the first two in one run.
        Assert.All(texts, t => Assert.Equal(expected, t.ToString()));
        var prompts = new[] { 0, 1, 3 }.Sum(i => SchedulerFixture.Greedy(model, Prompts[i], 1).PromptTokens.Count);
        Assert.Equal(prompts + TriggerTokens(model), steps.Prefilled);
        Assert.Contains(steps.RunsPerStep().SelectMany(r => r), rows => rows == 3);
    }

    [Fact]
    public async Task APrefixCacheHitRunsBesideABatchedRunAndEveryoneGetsTheirSoloTokens()
    {
        var shared = string.Join(' ', Enumerable.Repeat("a shared system prompt that fills several cache blocks", 16));
        string[] prompts = [shared + " first question", "Hi", shared + " second question", "What is a cat?"];
        var solo = new List<string>();
        using (var alone = SchedulerFixture.Random(slots: 1))
        {
            foreach (var p in prompts)
            {
                using var h = alone.Submit(SchedulerFixture.Greedy(alone, p, 16), CancellationToken.None);
                solo.Add((await SchedulerFixture.ReadAsync(h)).Text);
            }
        }

        var steps = new StepRecorder();
        using var model = SchedulerFixture.Random(slots: 8, chunk: 1024, prefixMiB: 64, observer: steps);
        using (var warm = model.Submit(SchedulerFixture.Greedy(model, shared + " warm up", 2), CancellationToken.None))
        {
            await SchedulerFixture.ReadAsync(warm);
        }

        var hitsBefore = steps.CacheHitTokens;
        var handles = await SubmitTogetherAsync(model, steps, [.. prompts.Select(p => (p, 1))]);
        var batched = await Task.WhenAll(handles.Select(SchedulerFixture.ReadAsync));
        foreach (var h in handles)
        {
            h.Dispose();
        }

        Assert.Equal(solo, batched.Select(b => b.Text));
        Assert.True(steps.CacheHitTokens - hitsBefore >= 2 * 64, $"cache hits: {steps.CacheHitTokens - hitsBefore} tokens");
        // The two hits run alone after their cached blocks; the fresh prompts together.
        Assert.Contains(steps.RunsPerStep().SelectMany(r => r), rows => rows == 2);
    }

    /// <summary>
    /// Submits the requests from the scheduler's thread once a trigger request has finished, so all of them are
    /// waiting when the next step admits (and the run cannot start before the last is queued).
    /// </summary>
    [Fact]
    public async Task ARowPromotedPastAnotherFreshRowOfItsRunLeavesThatRowItsPrompt()
    {
        // D is prefilled alone. The next step admits X, Y and L in that order (rows 1, 2, 3) while D decodes, so one run a step: [X, Y] fits the
        // 96-token budget, L does not. The step after admits S (row 4) and runs [S, L] together, shortest first: promoting S
        // swaps it with row 3, which is L, computed in the same run. The swap must carry L's prompt.
        const string X = "Hi", Y = "Yo", S = "Ok";
        string expected;
        var L = "words";
        using (var alone = SchedulerFixture.Random(slots: 1))
        {
            while (SchedulerFixture.Greedy(alone, L, 1).PromptTokens.Count < 33)
            {
                L += " words";
            }

            var length = SchedulerFixture.Greedy(alone, L, 1).PromptTokens.Count;
            Assert.InRange(length, 33, 48); // three rows of it pass 96; two do not
            Assert.All(new[] { X, Y, S }, p => Assert.True(3 * SchedulerFixture.Greedy(alone, p, 1).PromptTokens.Count <= 96 - length));
            using var h = alone.Submit(SchedulerFixture.Greedy(alone, L, 16), CancellationToken.None);
            expected = (await SchedulerFixture.ReadAsync(h)).Text;
        }

        var steps = new StepRecorder();
        using var model = SchedulerFixture.Random(slots: 8, chunk: 96, observer: steps);
        var handles = new SequenceHandle[4];
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var phase = 0;
        steps.AfterStep = _ =>
        {
            if (phase++ == 0)
            {
                handles[0] = model.Submit(SchedulerFixture.Greedy(model, X, 16), CancellationToken.None);
                handles[1] = model.Submit(SchedulerFixture.Greedy(model, Y, 16), CancellationToken.None);
                handles[2] = model.Submit(SchedulerFixture.Greedy(model, L, 16), CancellationToken.None);
            }
            else
            {
                steps.AfterStep = null;
                handles[3] = model.Submit(SchedulerFixture.Greedy(model, S, 16), CancellationToken.None);
                submitted.SetResult();
            }
        };

        using var decoding = model.Submit(SchedulerFixture.Greedy(model, "a stream that keeps decoding", 400), CancellationToken.None);
        await submitted.Task;
        var results = await Task.WhenAll(handles.Select(SchedulerFixture.ReadAsync));
        foreach (var h in handles)
        {
            h.Dispose();
        }

        var runs = steps.RunsPerStep();
        var shape = string.Join(" ", runs.Take(8).Select(r => $"[{string.Join(",", r)}]"));
        Assert.True(runs.Length > 2 && runs[0] is [1] && runs[1] is [2] && runs[2] is [2], $"prefill runs per step: {shape}");
        Assert.Equal(expected, results[2].Text);
    }

    internal static async Task<SequenceHandle[]> SubmitTogetherAsync(TextModel model, StepRecorder steps, (string User, int Choices)[] requests)
    {
        var handles = new SequenceHandle[requests.Length];
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        steps.OnFinished = _ =>
        {
            steps.OnFinished = null;
            for (var i = 0; i < requests.Length; i++)
            {
                handles[i] = model.Submit(SchedulerFixture.Greedy(model, requests[i].User, 16), requests[i].Choices, CancellationToken.None);
            }

            submitted.SetResult();
        };

        using (var trigger = model.Submit(SchedulerFixture.Greedy(model, "trigger", 1), CancellationToken.None))
        {
            await SchedulerFixture.ReadAsync(trigger);
        }

        await submitted.Task;
        return handles;
    }

    internal static int TriggerTokens(TextModel model) => SchedulerFixture.Greedy(model, "trigger", 1).PromptTokens.Count;
}
