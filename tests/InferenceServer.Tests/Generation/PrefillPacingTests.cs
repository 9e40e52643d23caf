using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// Running streams are not stalled by a burst of new prompts: while anything decodes, each step runs at most one
/// prefill (a prefill run streams all the weights, about as long as a decode step of many rows).
/// </summary>
public sealed class PrefillPacingTests
{
    [Fact]
    public async Task WhileAStreamDecodesABurstOfPromptsIsPrefilledOnePerStep()
    {
        var steps = new StepRecorder();
        using var model = SchedulerFixture.Scripted(slots: 4, observer: steps);
        var burst = new List<SequenceHandle>();

        // Three prompts queued from the scheduler's own thread after the running stream's third token, so all three
        // are waiting when the next step admits: nothing but the pacing can spread them over steps.
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
        Assert.All(firstTokensPerStep, count => Assert.InRange(count, 0, 1));
    }

    /// <summary>Records, step by step (the scheduler reports its state after every step), how many first tokens each step sampled.</summary>
    private sealed class StepRecorder : IServingObserver
    {
        private readonly List<int> _steps = [0];
        private readonly Lock _gate = new();
        private int _tokens;
        private int _trigger = int.MaxValue;
        private Action? _action;

        public void AfterTokens(int tokens, Action action)
        {
            _trigger = tokens;
            _action = action;
        }

        public int[] FirstTokensPerStep()
        {
            lock (_gate)
            {
                return [.. _steps];
            }
        }

        public void FirstToken(string model, TimeSpan timeToFirstToken)
        {
            lock (_gate)
            {
                _steps[^1]++;
            }
        }

        public void InterTokenLatency(string model, TimeSpan latency)
        {
            if (++_tokens == _trigger)
            {
                _action?.Invoke();
            }
        }

        public void SchedulerState(string model, int running, int waiting, double kvUsage)
        {
            lock (_gate)
            {
                _steps.Add(0);
            }
        }

        public void RequestRejected(string model)
        {
        }

        public void RequestStarted(string model, TimeSpan queueTime)
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
