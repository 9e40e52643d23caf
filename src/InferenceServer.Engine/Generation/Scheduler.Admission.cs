namespace InferenceServer.Engine.Generation;

/// <summary>
/// Shortest prompt first, within a bound: a request that has waited <see cref="SchedulerOptions.PrefillMaxWaitSteps"/>
/// steps goes ahead of every shorter one, both into a row and into the prefill run.
/// </summary>
internal sealed partial class Scheduler
{
    /// <summary>Waited <see cref="SchedulerOptions.PrefillMaxWaitSteps"/> steps or more: goes before every shorter prompt.</summary>
    private bool Overdue(Sequence s) => _step - s.EnqueuedStep >= _options.PrefillMaxWaitSteps;

    /// <summary>Orders prefill work: overdue first (oldest first), then fewest prompt tokens left, then oldest.</summary>
    private int Compare(Sequence a, Sequence b)
    {
        bool oa = Overdue(a), ob = Overdue(b);
        if (oa != ob)
        {
            return oa ? -1 : 1;
        }

        if (!oa)
        {
            var byLength = (a.Prompt.Length - a.Length).CompareTo(b.Prompt.Length - b.Length);
            if (byLength != 0)
            {
                return byLength;
            }
        }

        return a.EnqueuedStep != b.EnqueuedStep ? a.EnqueuedStep.CompareTo(b.EnqueuedStep) : a.Enqueued.CompareTo(b.Enqueued);
    }

    /// <summary>
    /// Moves waiting requests into rows while their KV need fits (Scheduler.Room.cs): first the choices of requests
    /// already started (they need no prefill), then by <see cref="Compare"/>, while this step's prefill budget is not
    /// yet spoken for or the request would go ahead of every prompt already in a row (so a long prompt holding a row
    /// does not keep shorter ones out). A request that does not fit yet is passed over for one that does, until it is
    /// overdue: then nothing goes ahead of it and the rows drain until it fits. A choice after the first is never
    /// admitted before its request's first choice.
    /// </summary>
    private void Admit()
    {
        var pending = 0;
        Sequence? head = null;
        foreach (var p in _prefilling)
        {
            pending += PendingPrefill(p);
            if (PendingPrefill(p) > 0 && (head is null || Compare(p, head) < 0))
            {
                head = p;
            }
        }

        while (_decoding.Count + _prefilling.Count < _decoder.MaxRows)
        {
            Sequence? next;
            Sequence? partner = null;
            int stride;
            lock (_queueLock)
            {
                next = TakeNextWaiting(pending < _options.PrefillChunkTokens ? null : head, out stride);
                if (next is null)
                {
                    return;
                }

                _waitingTokens -= next.PrefillTokens;
                if (next.Drawing is { } drawing)
                {
                    // Both rows of a drawing or neither: a half-admitted pair would hold its row and wait forever.
                    partner = drawing.Unconditional;
                    RemoveWaiting(partner);
                    _waitingTokens -= partner.PrefillTokens;
                }
            }

            next.Group.Unadmitted--;
            if (next.Cancellation.IsCancellationRequested || (next.IsFollower && next.Group.Prefilled && next.Group.PromptKv is null))
            {
                // Cancelled, or a follower of a request that has already failed (its shared prompt is gone).
                End(next, FinishReason.Cancelled);
                continue;
            }

            UseStride(stride);
            foreach (var s in partner is null ? [next] : (Sequence[])[next, partner])
            {
                AdmitRow(s);
                pending += PendingPrefill(s);
                if (PendingPrefill(s) > 0 && (head is null || Compare(s, head) < 0))
                {
                    head = s;
                }
            }
        }
    }

    /// <summary>Gives an admitted sequence the next row: its cached prefix, or a follower's shared prompt.</summary>
    private void AdmitRow(Sequence next)
    {
        next.Row = _decoding.Count + _prefilling.Count;
        if (next.IsFollower)
        {
            AdmitFollower(next);
        }
        else
        {
            next.CachedTokens = _prefixCache.Restore(next.Prompt, _decoder.Kv, next.Row);
            next.Length = next.CachedTokens;
            _decoder.SetRowLength(next.Row, next.Length);
            _observer.PrefixCacheLookup(_model, next.Prompt.Length, next.CachedTokens);
        }

        _observer.RequestStarted(_model, _options.Time.GetElapsedTime(next.Enqueued));
        next.Started.TrySetResult();
        _prefilling.Add(next);
    }

    /// <summary>
    /// Removes and returns the waiting sequence to admit next and the stride it needs, or null (under the queue lock):
    /// one that fits the KV budget; with <paramref name="ahead"/>, only one that needs no prefill or would be prefilled
    /// before it.
    /// </summary>
    private Sequence? TakeNextWaiting(Sequence? ahead, out int stride)
    {
        stride = -1;
        var admittedNeed = AdmittedNeed();
        Sequence? best = null;
        foreach (var s in _waiting)
        {
            // A choice whose request's first choice was admitted before it: free to go, and it costs no prefill.
            if (s.IsFollower && s.Group.Unadmitted < s.Group.Choices && StrideFor(s, admittedNeed) is >= 0 and var st)
            {
                best = s;
                stride = st;
                break;
            }
        }

        if (best is null)
        {
            Sequence? first = null;
            foreach (var s in _waiting)
            {
                if (s.IsFollower || (s.Drawing is { } d && ReferenceEquals(s, d.Unconditional)))
                {
                    // A drawing's unconditional row is admitted with its conditional one.
                    continue;
                }

                if (first is null || Compare(s, first) < 0)
                {
                    first = s;
                }

                if ((best is null || Compare(s, best) < 0) && StrideFor(s, admittedNeed) is >= 0 and var st)
                {
                    best = s;
                    stride = st;
                }
            }

            // An overdue request that does not fit yet holds the line: the rows drain until it does.
            if (first is not null && !ReferenceEquals(first, best) && Overdue(first))
            {
                return null;
            }
        }

        if (best is null || (ahead is not null && !best.IsFollower && Compare(best, ahead) >= 0))
        {
            return null;
        }

        RemoveWaiting(best);
        return best;
    }

    /// <summary>Takes <paramref name="sequence"/> out of the queue (under the queue lock).</summary>
    private void RemoveWaiting(Sequence sequence)
    {
        var count = _waiting.Count;
        for (var i = 0; i < count; i++)
        {
            var s = _waiting.Dequeue();
            if (!ReferenceEquals(s, sequence))
            {
                _waiting.Enqueue(s);
            }
        }
    }
}
