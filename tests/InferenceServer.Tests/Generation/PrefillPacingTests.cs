using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// Running streams are not stalled by a burst of new prompts, and the burst is not spread over steps either: while
/// anything decodes, each step makes at most one prefill run, and that run takes the waiting prompts together.
/// </summary>
public sealed class PrefillPacingTests
{
    [Fact]
    public async Task WhileAStreamDecodesABurstOfPromptsIsPrefilledInOneRunOfOneStep()
    {
        var steps = new StepRecorder();
        using var model = SchedulerFixture.Scripted(slots: 4, observer: steps);
        var burst = new List<SequenceHandle>();

        // Three prompts queued from the scheduler's own thread after the running stream's third token, so all three
        // are waiting when the next step admits.
        steps.AfterTokens(3, () =>
        {
            foreach (var user in new[] { "Hi", "Hello", "Hey" })
            {
                burst.Add(model.Submit(SchedulerFixture.Greedy(model, user, 4), CancellationToken.None));
            }
        });

        using (var running = model.Submit(SchedulerFixture.Greedy(model, "Hi", 200), CancellationToken.None))
        {
            await SchedulerFixture.ReadAsync(running);
        }

        foreach (var handle in burst)
        {
            await SchedulerFixture.ReadAsync(handle);
            handle.Dispose();
        }

        var firstTokensPerStep = steps.FirstTokensPerStep();
        Assert.Equal(4, firstTokensPerStep.Sum());
        Assert.Contains(3, firstTokensPerStep);
        var runs = steps.RunsPerStep();
        Assert.All(runs, step => Assert.InRange(step.Length, 0, 1));
        Assert.Equal([1, 3], runs.Where(r => r.Length > 0).Select(r => r[0]));
    }

    [Fact]
    public async Task APromptLongerThanTheBudgetIsPrefilledOneChunkPerStepBesideTheStream()
    {
        var steps = new StepRecorder();
        using var model = SchedulerFixture.Scripted(slots: 4, chunk: 16, observer: steps);
        var prompt = string.Join(' ', Enumerable.Repeat("a long question for the model", 10));
        SequenceHandle? late = null;
        steps.AfterTokens(3, () => late = model.Submit(SchedulerFixture.Greedy(model, prompt, 2), CancellationToken.None));
        using (var running = model.Submit(SchedulerFixture.Greedy(model, "Hi", 200), CancellationToken.None))
        {
            await SchedulerFixture.ReadAsync(running);
        }

        var (_, finished) = await SchedulerFixture.ReadAsync(late!);
        late!.Dispose();
        var chunks = (finished.Usage.PromptTokens + 15) / 16;
        Assert.True(chunks > 2);

        // Each chunk its own step (the stream decodes in every one of them), none of them more than the budget.
        var runs = steps.RunsPerStep().Where(r => r.Length > 0).ToArray();
        Assert.Equal(1 + chunks, runs.Length);
        Assert.All(runs, r => Assert.Equal([1], r));
    }
}
