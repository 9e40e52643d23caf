using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// Shortest prompt first, within a bound: short prompts arriving after a long one get their first tokens before it,
/// but the long one waits at most <see cref="SchedulerOptions.PrefillMaxWaitSteps"/> steps before it goes first,
/// and then needs one step per budget-sized chunk. Counted in scheduler steps, not time.
/// </summary>
public sealed class PrefillFairnessTests
{
    [Fact]
    public async Task ALongPromptAmongManyShortOnesGetsItsFirstTokenWithinTheBound()
    {
        const int Chunk = 32;
        var maxWait = new SchedulerOptions().PrefillMaxWaitSteps;
        var steps = new StepRecorder();
        using var model = SchedulerFixture.Scripted(slots: 8, chunk: Chunk, observer: steps);
        var longRequest = SchedulerFixture.Greedy(model, string.Join(' ', Enumerable.Repeat("a long question for the model", 15)), 1);
        var shortRequest = SchedulerFixture.Greedy(model, "Hi", 1);
        var longTokens = longRequest.PromptTokens.Count;
        Assert.True(longTokens > 3 * Chunk);

        var handles = new List<SequenceHandle>();
        var longSubmitted = -1;
        var longDone = false;
        steps.OnFinished = promptTokens => longDone |= promptTokens == longTokens;

        // From the scheduler's thread, once the stream decodes: the long prompt, then one short prompt every step
        // (the queue always has a shorter prompt waiting) until the long one has its token.
        steps.AfterTokens(3, () =>
        {
            steps.AfterStep = step =>
            {
                if (longSubmitted < 0)
                {
                    longSubmitted = step;
                    handles.Add(model.Submit(longRequest, CancellationToken.None));
                }

                if (!longDone && step - longSubmitted < 4 * maxWait)
                {
                    handles.Add(model.Submit(shortRequest, CancellationToken.None));
                    handles.Add(model.Submit(shortRequest, CancellationToken.None));
                }
            };
        });

        using (var running = model.Submit(SchedulerFixture.Greedy(model, "forever", 3000), CancellationToken.None))
        {
            var events = await SchedulerFixture.FirstTextAsync(running);
            while (!longDone && await events.MoveNextAsync())
            {
            }

            await events.DisposeAsync();
        }

        steps.AfterStep = null;
        foreach (var h in handles.ToArray())
        {
            await SchedulerFixture.ReadAsync(h);
            h.Dispose();
        }

        var longStep = Assert.Single(steps.FinishedSteps(longTokens));
        var chunks = (longTokens + Chunk - 1) / Chunk;

        // It waited for the short ones (shortest first)...
        var shortsBefore = steps.FinishedSteps(shortRequest.PromptTokens.Count).Count(s => s > longSubmitted && s < longStep);
        Assert.True(shortsBefore >= maxWait, $"{shortsBefore} short prompts went first");

        // ...but no longer than the bound: overdue after maxWait steps, then one chunk per step.
        Assert.InRange(longStep - longSubmitted, 1, maxWait + chunks);
    }
}
