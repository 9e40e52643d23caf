using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// Continuous batching for one model. Its own thread owns the decoder: each step admits waiting requests into rows
/// while their KV need fits the budget (see Scheduler.Room.cs; restoring their cached prefixes), runs one bounded prefill run (several fresh prompts together, shortest
/// first), then one batched decode pass over every decoding row, and lets finished or abandoned sequences leave
/// without stalling the rest. Rows stay packed: decoding sequences occupy rows [0, D), the prefilling ones follow.
/// </summary>
internal sealed partial class Scheduler : IDisposable
{
    private readonly string _model;
    private readonly BatchDecoder _decoder;
    private readonly BpeTokenizer _tokenizer;
    private readonly HashSet<int> _eos;
    private readonly SchedulerOptions _options;
    private readonly IServingObserver _observer;
    private readonly PrefixCache _prefixCache;
    private readonly Queue<Sequence> _waiting = new();
    private readonly Lock _queueLock = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<Sequence> _decoding = [];
    private readonly RunOptions _decodeRun = new();
    private readonly int[] _stepTokens;
    private readonly int[] _stepLengths;
    private readonly RowKind[] _stepKinds;
    private readonly Thread _thread;
    private readonly List<Sequence> _prefilling = [];
    private readonly RunOptions _prefillRun = new();
    private long _step;
    private int _waitingTokens;
    private volatile bool _aborting;
    private volatile bool _stopping;

    public Scheduler(string model, BatchDecoder decoder, BpeTokenizer tokenizer, IEnumerable<int> eos, SchedulerOptions options, IServingObserver observer)
    {
        _model = model;
        _decoder = decoder;
        _tokenizer = tokenizer;
        _eos = [.. eos];
        _options = options;
        _observer = observer;
        var disk = options.PrefixCacheDirectory is { Length: > 0 } directory && options.PrefixCacheBytes > 0
            ? new PrefixCacheDisk(directory, options.PrefixCacheDiskBytes, (int)decoder.Kv.BlockBytes(PrefixCache.BlockTokens))
            : null;
        _prefixCache = new PrefixCache(options.PrefixCacheBytes, disk);
        _stepTokens = new int[decoder.MaxRows];
        _stepLengths = new int[decoder.MaxRows];
        _stepKinds = new RowKind[decoder.MaxRows];
        _thread = new Thread(Loop) { IsBackground = true, Name = $"scheduler:{model}" };
        _thread.Start();
    }

    /// <summary>Raised on the scheduler thread when a sequence has ended, whatever the reason.</summary>
    public event Action<GenerationReport>? SequenceEnded;

    public long GeneratedTokens => Interlocked.Read(ref _generated);

    private long _generated;

    /// <summary>Ends every running and waiting sequence at the next step with <see cref="FinishReason.InsufficientSystemResource"/>.</summary>
    public void Abort()
    {
        _aborting = true;
        Wake();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // The model is being unloaded; nothing is left to wake.
        }
    }

    private void Loop()
    {
        while (!_stopping)
        {
            if (_decoding.Count == 0 && _prefilling.Count == 0 && !HasWaiting())
            {
                _wake.Wait(TimeSpan.FromSeconds(1));
                DropExpiredWaiting();
                continue;
            }

            try
            {
                Step();
            }
            catch (Exception e)
            {
                AbortRunning(e);
            }
        }

        FailAll(new ObjectDisposedException(_model, "The model was unloaded."));
    }

    private void Step()
    {
        if (_aborting)
        {
            AbortAll();
            return;
        }

        Volatile.Write(ref _step, _step + 1);
        DropExpiredWaiting();
        Admit();
        Prefill();

        if (_decoding.Count > 0)
        {
            DecodeStep();
        }

        Compact();
        Report();
    }

    private bool HasWaiting()
    {
        lock (_queueLock)
        {
            return _waiting.Count > 0;
        }
    }

    private void DecodeStep()
    {
        if (TrySpeculate())
        {
            return;
        }

        var batch = _decoding.Count;
        var drawing = false;
        for (var r = 0; r < batch; r++)
        {
            var s = _decoding[r];
            _stepTokens[r] = s.NextInput;
            _stepLengths[r] = s.Length;
            _stepKinds[r] = s.Drawing is not { } d ? RowKind.Text : d.Drawn == 0 ? RowKind.ImageStart : RowKind.Image;
            drawing |= s.Drawing is not null;
        }

        // Rows that finished while being sampled last step are removed before this point (Compact); a row whose
        // client left is still computed this once and removed right after: one token of waste at most.
        _decoder.Decode(batch, _stepTokens.AsSpan(0, batch), _stepLengths.AsSpan(0, batch), _decodeRun, drawing ? _stepKinds.AsSpan(0, batch) : default);
        for (var r = 0; r < batch; r++)
        {
            var s = _decoding[r];
            s.Length++;
            if (s.Finished is null)
            {
                if (s.Drawing is { } d)
                {
                    Draw(s, d);
                }
                else
                {
                    SampleAndEmit(s);
                }
            }
        }
    }

    private void SampleAndEmit(Sequence s)
    {
        if (s.Cancellation.IsCancellationRequested)
        {
            return;
        }

        var logits = _decoder.Logits(s.Row);
        s.Grammar?.Apply(logits, s.Request.MaxTokens - s.Output.CompletionTokens);
        var token = s.Sampler.Sample(logits);
        var now = _options.Time.GetTimestamp();
        if (!s.HasFirstToken)
        {
            s.HasFirstToken = true;
            _observer.FirstToken(_model, _options.Time.GetElapsedTime(s.Enqueued, now));
        }
        else
        {
            _observer.InterTokenLatency(_model, _options.Time.GetElapsedTime(s.LastTokenAt, now));
        }

        s.LastTokenAt = now;
        if (_eos.Contains(token))
        {
            End(s, FinishReason.Stop);
            return;
        }

        s.Grammar?.Accept(token);
        if (s.Logprobs is { } logprobs)
        {
            s.Emit(logprobs.Compute(logits, token, s.Output.InReasoning));
        }

        s.Sampler.Accept(token);
        Record(s, token);
        Interlocked.Increment(ref _generated);
        s.Output.Accept(token, s.EmitEvent);
        if (s.Output.Stopped || s.Grammar is { IsFinished: true })
        {
            End(s, FinishReason.Stop);
        }
        else if (s.Output.CompletionTokens >= s.Request.MaxTokens || s.Length >= s.Need)
        {
            End(s, FinishReason.Length);
        }
        else
        {
            s.NextInput = token;
        }
    }
}
