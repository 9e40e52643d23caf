
namespace InferenceServer.Engine.Generation;

/// <summary>The scheduler's bookkeeping: ending sequences, keeping rows packed, expiring waiters, reporting.</summary>
internal sealed partial class Scheduler
{
    private void End(Sequence s, FinishReason reason)
    {
        if (s.Finished is not null)
        {
            return;
        }

        if (s.Drawing is { } drawing)
        {
            // Not a chat request: the image request is measured where it is served. A row that ends early ends its partner.
            s.Finish(reason);
            if (reason != FinishReason.Stop)
            {
                End(drawing.Partner(s), reason);
            }

            return;
        }

        // Measured before the last event goes out, so a client that has its answer finds it in the metrics.
        var elapsed = _options.Time.GetElapsedTime(s.Enqueued);
        _observer.RequestFinished(_model, reason, s.PrefillTokens, s.Output.CompletionTokens, elapsed);
        s.Finish(reason);
        SequenceEnded?.Invoke(new GenerationReport(reason, s.PrefillTokens, s.Output.CompletionTokens, elapsed));
    }

    /// <summary>Removes finished and abandoned sequences and moves the last rows into the gaps.</summary>
    private void Compact()
    {
        for (var i = _decoding.Count - 1; i >= 0; i--)
        {
            var s = _decoding[i];
            if (s.Cancellation.IsCancellationRequested)
            {
                End(s, FinishReason.Cancelled);
            }

            if (s.Finished is null)
            {
                continue;
            }

            var last = _decoding.Count - 1;
            if (i != last)
            {
                var moved = _decoding[last];
                _decoder.MoveRow(last, i, moved.Length);
                moved.Row = i;
                _decoding[i] = moved;
            }
            else
            {
                _decoder.ClearRow(last);
            }

            _decoding.RemoveAt(last);
            s.Dispose();
        }

        // Prefilling rows follow the decoding rows, in order; close the gaps the removals left.
        for (var i = 0; i < _prefilling.Count; i++)
        {
            var p = _prefilling[i];
            if (p.Cancellation.IsCancellationRequested || p.Finished is not null)
            {
                End(p, FinishReason.Cancelled);
                _decoder.ClearRow(p.Row);
                _prefilling.RemoveAt(i--);
                p.Dispose();
                continue;
            }

            var row = _decoding.Count + i;
            if (p.Row != row)
            {
                _decoder.MoveRow(p.Row, row, p.Length);
                p.Row = row;
            }
        }
    }

    private void DropExpiredWaiting()
    {
        List<Sequence>? dropped = null;
        lock (_queueLock)
        {
            var count = _waiting.Count;
            for (var i = 0; i < count; i++)
            {
                var s = _waiting.Dequeue();
                // A choice whose request has started waits for rows its own choices hold: it does not expire.
                var expired = _options.Time.GetElapsedTime(s.Enqueued) > _options.QueueTimeout && !(s.IsFollower && s.Group.Started.Task.IsCompleted);
                if (expired || s.Cancellation.IsCancellationRequested)
                {
                    _waitingTokens -= s.PrefillTokens;
                    (dropped ??= []).Add(s);
                }
                else
                {
                    _waiting.Enqueue(s);
                }
            }
        }

        foreach (var s in dropped ?? [])
        {
            if (s.Cancellation.IsCancellationRequested)
            {
                End(s, FinishReason.Cancelled);
            }
            else
            {
                s.Fail(new QueueTimeoutException(_options.QueueTimeout));
                _observer.RequestFinished(_model, FinishReason.InsufficientSystemResource, s.PrefillTokens, 0, _options.Time.GetElapsedTime(s.Enqueued));
            }

            s.Dispose();
        }
    }

    private void AbortAll()
    {
        foreach (var s in _decoding)
        {
            End(s, FinishReason.InsufficientSystemResource);
        }

        foreach (var p in _prefilling)
        {
            End(p, FinishReason.InsufficientSystemResource);
        }

        lock (_queueLock)
        {
            while (_waiting.TryDequeue(out var s))
            {
                End(s, FinishReason.InsufficientSystemResource);
            }

            _waitingTokens = 0;
        }

        Compact();
        Report();
        _wake.Wait(TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// After a step threw (a failing ONNX Runtime run): the sequences it was computing end with
    /// <see cref="FinishReason.Aborted"/> and what they generated, their rows are cleared, and the waiting requests
    /// stay queued for the next steps. Should ending them fail as well, they fail with the error.
    /// </summary>
    private void AbortRunning(Exception error)
    {
        _observer.StepFailed(_model, error);
        try
        {
            foreach (var s in _decoding)
            {
                End(s, FinishReason.Aborted);
            }

            foreach (var p in _prefilling)
            {
                End(p, FinishReason.Aborted);
            }
        }
        catch (Exception e)
        {
            FailAll(e);
            return;
        }

        _decoder.ClearAll();

        foreach (var s in (List<Sequence>)[.. _decoding, .. _prefilling])
        {
            s.Dispose();
        }

        _decoding.Clear();
        _prefilling.Clear();
        Report();
    }

    private void FailAll(Exception error)
    {
        foreach (var s in _decoding)
        {
            s.Fail(error);
        }

        foreach (var p in _prefilling)
        {
            p.Fail(error);
        }

        lock (_queueLock)
        {
            while (_waiting.TryDequeue(out var s))
            {
                s.Fail(error);
            }

            _waitingTokens = 0;
        }

        _decoder.ClearAll();

        _decoding.Clear();
        _prefilling.Clear();
    }

    private void Report()
    {
        int waiting;
        lock (_queueLock)
        {
            waiting = _waiting.Count;
        }

        long used = 0;
        foreach (var s in _decoding)
        {
            used += s.Length;
        }

        foreach (var s in _prefilling)
        {
            used += s.Length;
        }

        var running = _decoding.Count + _prefilling.Count;
        _observer.SchedulerState(_model, running, waiting, used / (double)_decoder.Kv.TotalTokens);
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Release();
        _thread.Join();
        _prefixCache.Dispose();
        _decodeRun.Dispose();
        _prefillRun.Dispose();
        _wake.Dispose();
    }
}
