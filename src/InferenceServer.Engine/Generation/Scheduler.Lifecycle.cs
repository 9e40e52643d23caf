
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

        s.Finish(reason);
        var elapsed = _options.Time.GetElapsedTime(s.Enqueued);
        _observer.RequestFinished(_model, reason, s.Prompt.Length, s.Output.CompletionTokens, elapsed);
        SequenceEnded?.Invoke(new GenerationReport(reason, s.Prompt.Length, s.Output.CompletionTokens, elapsed));
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

        if (_prefilling is { } p)
        {
            if (p.Cancellation.IsCancellationRequested)
            {
                End(p, FinishReason.Cancelled);
                _decoder.ClearRow(p.Row);
                _prefilling = null;
                p.Dispose();
            }
            else if (p.Row != _decoding.Count)
            {
                _decoder.MoveRow(p.Row, _decoding.Count, p.Length);
                p.Row = _decoding.Count;
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
                var expired = _options.Time.GetElapsedTime(s.Enqueued) > _options.QueueTimeout;
                if (expired || s.Cancellation.IsCancellationRequested)
                {
                    _waitingTokens -= s.Prompt.Length;
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
                _observer.RequestFinished(_model, FinishReason.InsufficientSystemResource, s.Prompt.Length, 0, _options.Time.GetElapsedTime(s.Enqueued));
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

        if (_prefilling is { } p)
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

    private void FailAll(Exception error)
    {
        foreach (var s in _decoding)
        {
            s.Fail(error);
        }

        _prefilling?.Fail(error);
        lock (_queueLock)
        {
            while (_waiting.TryDequeue(out var s))
            {
                s.Fail(error);
            }

            _waitingTokens = 0;
        }

        for (var r = 0; r < _decoder.Slots; r++)
        {
            _decoder.ClearRow(r);
        }

        _decoding.Clear();
        _prefilling = null;
    }

    private void Report()
    {
        int waiting;
        lock (_queueLock)
        {
            waiting = _waiting.Count;
        }

        long used = _prefilling?.Length ?? 0;
        foreach (var s in _decoding)
        {
            used += s.Length;
        }

        var running = _decoding.Count + (_prefilling is null ? 0 : 1);
        _observer.SchedulerState(_model, running, waiting, used / (double)((long)_decoder.Slots * _decoder.Capacity));
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Release();
        _thread.Join();
        _decodeRun.Dispose();
        _wake.Dispose();
    }
}
