using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// Prefill, shortest prompt first within a bound (see Scheduler.Admission.cs). Each step spends at most
/// <see cref="SchedulerOptions.PrefillChunkTokens"/> (padded) prompt tokens, in one run while streams are decoding so
/// they keep their inter-token latency. Fresh prompts share a run (right-padded rows, see
/// <see cref="Runtime.BatchDecoder.PrefillFresh"/>); a row with a past (a prefix-cache hit, a later chunk) runs alone,
/// because GroupQueryAttention takes several new tokens after a past only for a batch of one.
/// </summary>
internal sealed partial class Scheduler
{
    private readonly List<Sequence> _batch = [];
    private readonly List<Sequence> _candidates = [];

    /// <summary>
    /// Spends this step's prefill budget: followers whose prompt is in place start at once; then runs, each either
    /// several fresh prompts right-padded together (padded tokens count against the budget) or one row's next chunk.
    /// A row whose prompt is done joins the decoding rows.
    /// </summary>
    private void Prefill()
    {
        ForkReady();
        var budget = _options.PrefillChunkTokens;
        var runs = _decoding.Count > 0 ? 1 : int.MaxValue;
        while (budget > 0 && runs-- > 0 && SelectRun(budget))
        {
            budget -= _batch.Count == 1 ? Run(_batch[0], budget) : RunFresh(budget);
        }

        ForkReady();
    }

    /// <summary>
    /// Fills <see cref="_batch"/> with the next run: the first prefill row by <see cref="Compare"/>, and if it is fresh,
    /// the next fresh rows in order while the padded run fits the budget. False when nothing waits for prefill.
    /// </summary>
    private bool SelectRun(int budget)
    {
        _batch.Clear();
        var candidates = _candidates;
        candidates.Clear();
        foreach (var s in _prefilling)
        {
            if (!s.IsFollower && !s.Cancellation.IsCancellationRequested && s.Finished is null && s.Length < s.Prompt.Length)
            {
                candidates.Add(s);
            }
        }

        if (candidates.Count == 0)
        {
            return false;
        }

        candidates.Sort(Compare);
        var first = candidates[0];
        _batch.Add(first);
        if (first.Length > 0)
        {
            return true;
        }

        var length = Math.Min(budget, first.Prompt.Length);
        for (var i = 1; i < candidates.Count; i++)
        {
            var s = candidates[i];
            if (s.Length > 0)
            {
                continue;
            }

            var padded = Math.Max(length, Math.Min(budget, s.Prompt.Length));
            if ((_batch.Count + 1) * padded > budget)
            {
                break;
            }

            length = padded;
            _batch.Add(s);
        }

        return true;
    }

    /// <summary>One row's next chunk after its past, with its own run options (a client that leaves ends the call).</summary>
    private int Run(Sequence s, int budget)
    {
        var count = Math.Min(budget, s.Prompt.Length - s.Length);
        try
        {
            _decoder.Prefill(s.Row, s.Length, s.Prompt.AsSpan(s.Length, count), s.PrefillRun, s.Request.Images?.For(s.Prompt, s.Length, count) ?? default);
        }
        catch (OnnxRuntimeException) when (s.Cancellation.IsCancellationRequested)
        {
            return count;
        }

        _observer.PrefillRun(_model, 1, count);
        Computed(s, count);
        return count;
    }

    /// <summary>The fresh rows of <see cref="_batch"/> in one run, each up to the longest of them; returns the padded tokens.</summary>
    private int RunFresh(int budget)
    {
        var length = 0;
        Span<int> rows = stackalloc int[_batch.Count];
        Span<int> counts = stackalloc int[_batch.Count];
        var prompts = new int[_batch.Count][];
        ReadOnlyMemory<float>[]? features = null;
        for (var i = 0; i < _batch.Count; i++)
        {
            var s = _batch[i];
            rows[i] = s.Row;
            counts[i] = Math.Min(budget, s.Prompt.Length);
            prompts[i] = s.Prompt;
            length = Math.Max(length, counts[i]);
            if (s.Request.Images is { } images)
            {
                (features ??= new ReadOnlyMemory<float>[_batch.Count])[i] = images.For(s.Prompt, 0, counts[i]);
            }
        }

        _decoder.PrefillFresh(rows, prompts, counts, _prefillRun, features);
        _observer.PrefillRun(_model, _batch.Count, length * _batch.Count);
        // Every row's length is booked before any row is promoted: promoting one swaps it with the first prefilling
        // row, which may be another row of this run, and a swap moves only the positions its length says it holds.
        var batch = _batch.ToArray();
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i].Length += counts[i];
            _observer.PrefillComputed(_model, counts[i]);
        }

        foreach (var s in batch)
        {
            PromptDone(s);
        }

        return length * batch.Length;
    }

    /// <summary>Books a computed chunk; a row whose prompt is done is cached, hands its prompt to its followers and starts decoding.</summary>
    private void Computed(Sequence s, int count)
    {
        s.Length += count;
        _observer.PrefillComputed(_model, count);
        PromptDone(s);
    }

    /// <summary>A row whose prompt is done is cached, hands its prompt to its followers and starts decoding.</summary>
    private void PromptDone(Sequence s)
    {
        if (s.Length < s.Prompt.Length)
        {
            return;
        }

        _prefixCache.Insert(s.Prompt, _decoder.Kv, s.Row);
        if (s.Drawing is { } drawing)
        {
            PairPrefilled(drawing);
            return;
        }

        LeaderPrefilled(s);
        Promote(s);
        SampleAndEmit(s);
    }

    /// <summary>Every follower whose shared prompt is in its row starts decoding.</summary>
    private void ForkReady()
    {
        for (var i = 0; i < _prefilling.Count; i++)
        {
            var f = _prefilling[i];
            if (f.IsFollower && f.Group.Prefilled && f.Length == f.Prompt.Length && !f.Cancellation.IsCancellationRequested && f.Finished is null)
            {
                Fork(f);
                i = -1;
            }
        }
    }

    /// <summary>
    /// Moves a prefilled row to the decoding rows, keeping rows packed: it swaps rows with the first prefilling row
    /// if it is not that one, and the prefilling rows stay ordered by row.
    /// </summary>
    private void Promote(Sequence s)
    {
        var target = _decoding.Count;
        if (s.Row != target)
        {
            var other = _prefilling.Find(p => p.Row == target)!;
            _decoder.SwapRows(s.Row, s.Length, target, other.Length);
            other.Row = s.Row;
            s.Row = target;
        }

        _prefilling.Remove(s);
        _prefilling.Sort(static (a, b) => a.Row.CompareTo(b.Row));
        _decoding.Add(s);
    }
}
