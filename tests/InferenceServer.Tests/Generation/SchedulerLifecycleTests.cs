using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>Requests leave the scheduler cleanly: cancelled while queued, in prefill or in decode; aborted; refused; timed out.</summary>
public sealed class SchedulerLifecycleTests
{
    private static Task<GenerationReport> NextReport(Engine.Models.TextModel model, Func<GenerationReport, bool> match)
    {
        var done = new TaskCompletionSource<GenerationReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEnded(GenerationReport r)
        {
            if (match(r) && done.TrySetResult(r))
            {
                model.GenerationEnded -= OnEnded;
            }
        }

        model.GenerationEnded += OnEnded;
        return done.Task;
    }

    [Fact]
    public async Task AQueuedRequestThatIsCancelledNeverComputes()
    {
        using var model = SchedulerFixture.Scripted(slots: 1);
        using var running = model.Submit(SchedulerFixture.Greedy(model, "forever", 4000), CancellationToken.None);
        await using var stream = await SchedulerFixture.FirstTextAsync(running);
        var queued = SchedulerFixture.Greedy(model, "Hi there", 50);
        var report = NextReport(model, r => r.PromptTokens == queued.PromptTokens.Count);
        var waiting = model.Submit(queued, CancellationToken.None);
        Assert.False(waiting.Started.IsCompleted);
        waiting.Dispose();
        var r = await report.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(FinishReason.Cancelled, r.Reason);
        Assert.Equal(0, r.CompletionTokens);
    }

    [Fact]
    public async Task ARequestCancelledDuringPrefillSamplesNothing()
    {
        using var model = SchedulerFixture.Scripted(slots: 1, chunk: 1, prefixMiB: 0);
        var request = SchedulerFixture.Greedy(model, string.Join(' ', Enumerable.Repeat("long prompt", 70)), 50);
        Assert.True(request.PromptTokens.Count > 500);
        var report = NextReport(model, _ => true);
        var before = model.GeneratedTokens;
        var handle = model.Submit(request, CancellationToken.None);
        await handle.Started;
        handle.Dispose();
        var r = await report.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(FinishReason.Cancelled, r.Reason);
        Assert.Equal(0, r.CompletionTokens);
        Assert.Equal(before, model.GeneratedTokens);
    }

    [Fact]
    public async Task ARequestCancelledDuringDecodeStopsAtTheNextStep()
    {
        using var model = SchedulerFixture.Scripted(slots: 2);
        var report = NextReport(model, _ => true);
        var handle = model.Submit(SchedulerFixture.Greedy(model, "forever", 4000), CancellationToken.None);
        var events = handle.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        for (var deltas = 0; deltas < 5 && await events.MoveNextAsync();)
        {
            deltas += events.Current is TextDelta ? 1 : 0;
        }

        handle.Dispose();
        var r = await report.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(FinishReason.Cancelled, r.Reason);
        Assert.InRange(r.CompletionTokens, 5, 3999);
        var after = model.GeneratedTokens;

        // Another request runs to its end; the cancelled one adds nothing meanwhile.
        using var other = model.Submit(SchedulerFixture.Greedy(model, "Hi", 3), CancellationToken.None);
        var (_, finished) = await SchedulerFixture.ReadAsync(other);
        Assert.Equal(after + finished.Usage.CompletionTokens, model.GeneratedTokens);
        await events.DisposeAsync();
    }

    [Fact]
    public async Task AbortEndsRunningRequestsWithAFinalEvent()
    {
        using var model = SchedulerFixture.Scripted(slots: 1);
        using var handle = model.Submit(SchedulerFixture.Greedy(model, "forever", 4000), CancellationToken.None);
        await using var events = await SchedulerFixture.FirstTextAsync(handle);
        model.AbortRunning();
        GenerationFinished? finished = null;
        while (await events.MoveNextAsync())
        {
            finished = events.Current as GenerationFinished ?? finished;
        }

        Assert.NotNull(finished);
        Assert.Equal(FinishReason.InsufficientSystemResource, finished.Reason);
        Assert.True(finished.Usage.CompletionTokens < 4000);
    }

    [Fact]
    public async Task AFullQueueRefusesWithRetryAfter()
    {
        using var model = SchedulerFixture.Scripted(slots: 1, maxQueued: 1);
        using var running = model.Submit(SchedulerFixture.Greedy(model, "forever", 4000), CancellationToken.None);
        await running.Started;
        using var queued = model.Submit(SchedulerFixture.Greedy(model, "Hi", 5), CancellationToken.None);
        var e = Assert.Throws<QueueFullException>(() => model.Submit(SchedulerFixture.Greedy(model, "Hi", 5), CancellationToken.None));
        Assert.True(e.RetryAfter > TimeSpan.Zero);
        Assert.StartsWith("Server Overloaded", e.Message);
    }

    [Fact]
    public async Task ARequestThatWaitsTooLongEndsWithATimeoutError()
    {
        var clock = new ManualClock();
        using var model = SchedulerFixture.Scripted(slots: 1, clock: clock);
        using var running = model.Submit(SchedulerFixture.Greedy(model, "forever", 4000), CancellationToken.None);
        await using var stream = await SchedulerFixture.FirstTextAsync(running);
        using var waiting = model.Submit(SchedulerFixture.Greedy(model, "Hi", 5), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(11));
        await Assert.ThrowsAsync<QueueTimeoutException>(() => SchedulerFixture.ReadAsync(waiting).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
