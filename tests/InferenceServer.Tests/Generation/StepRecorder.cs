using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// Records the scheduler step by step (it reports its state after every step): first tokens, prefill runs (rows,
/// padded tokens), prompt tokens computed, and finished requests by prompt length. Actions hooked here run on the
/// scheduler's own thread, so what they submit is waiting, all of it, when the next step admits.
/// </summary>
internal sealed class StepRecorder : IServingObserver
{
    private readonly List<int> _firstTokens = [0];
    private readonly List<List<int>> _runs = [[]];
    private readonly List<(int Step, int PromptTokens)> _finished = [];
    private readonly Lock _gate = new();
    private int _tokens;
    private int _trigger = int.MaxValue;
    private Action? _afterTokens;

    /// <summary>Runs after every step, with the number of the step that just ended.</summary>
    public Action<int>? AfterStep { get; set; }

    /// <summary>Runs when a request finishes, with its prompt tokens.</summary>
    public Action<int>? OnFinished { get; set; }

    public int Steps
    {
        get
        {
            lock (_gate)
            {
                return _firstTokens.Count - 1;
            }
        }
    }

    public int Prefilled { get; private set; }

    public int CacheHitTokens { get; private set; }

    public void AfterTokens(int tokens, Action action)
    {
        _trigger = tokens;
        _afterTokens = action;
    }

    public int[] FirstTokensPerStep()
    {
        lock (_gate)
        {
            return [.. _firstTokens];
        }
    }

    /// <summary>Per step, the rows of each prefill run it made.</summary>
    public int[][] RunsPerStep()
    {
        lock (_gate)
        {
            return [.. _runs.Select(r => r.ToArray())];
        }
    }

    /// <summary>The step each request with <paramref name="promptTokens"/> prompt tokens finished in.</summary>
    public int[] FinishedSteps(int promptTokens)
    {
        lock (_gate)
        {
            return [.. _finished.Where(f => f.PromptTokens == promptTokens).Select(f => f.Step)];
        }
    }

    public void FirstToken(string model, TimeSpan timeToFirstToken)
    {
        lock (_gate)
        {
            _firstTokens[^1]++;
        }
    }

    public void InterTokenLatency(string model, TimeSpan latency)
    {
        if (++_tokens == _trigger)
        {
            _afterTokens?.Invoke();
        }
    }

    public void PrefillRun(string model, int rows, int paddedTokens)
    {
        lock (_gate)
        {
            _runs[^1].Add(rows);
        }
    }

    public void PrefillComputed(string model, int tokens) => Prefilled += tokens;

    public void SchedulerState(string model, int running, int waiting, double kvUsage)
    {
        int step;
        lock (_gate)
        {
            step = _firstTokens.Count;
            _firstTokens.Add(0);
            _runs.Add([]);
        }

        AfterStep?.Invoke(step);
    }

    public void RequestFinished(string model, FinishReason reason, int promptTokens, int completionTokens, TimeSpan endToEnd)
    {
        lock (_gate)
        {
            _finished.Add((_firstTokens.Count, promptTokens));
        }

        OnFinished?.Invoke(promptTokens);
    }

    public void RequestRejected(string model)
    {
    }

    public void RequestStarted(string model, TimeSpan queueTime)
    {
    }

    public void PrefixCacheLookup(string model, int promptTokens, int hitTokens) => CacheHitTokens += hitTokens;
}
