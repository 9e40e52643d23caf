using InferenceServer.Engine.Generation.Constraints;

namespace InferenceServer.Engine.Generation;

/// <summary>Admission from the callers' threads: a request's choices enter the bounded queue together, or not at all.</summary>
internal sealed partial class Scheduler
{
    /// <summary>
    /// Queues a request with <paramref name="choices"/> independent choices (<c>n</c>) over one prefill: each choice
    /// counts as a request against the queue bound, the prompt's tokens count once.
    /// </summary>
    public SequenceHandle Submit(GenerationRequest request, int choices, CancellationToken cancellationToken)
    {
        if (request.PromptTokens.Count == 0 || request.PromptTokens.Count >= _decoder.Capacity || request.MaxTokens < 1)
        {
            throw new ArgumentException(
                $"A prompt of {request.PromptTokens.Count} tokens with max_tokens {request.MaxTokens} does not fit the context of {_decoder.Capacity} tokens.", nameof(request));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(choices, 1);
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var group = new ChoiceGroup(choices, request.MaxTokens);
        var now = _options.Time.GetTimestamp();
        var sequences = new Sequence[choices];
        for (var k = 0; k < choices; k++)
        {
            sequences[k] = Create(request, group, k, cancel.Token, now);
        }

        Enqueue(sequences, cancel);
        return new SequenceHandle(group, cancel);
    }

    /// <summary>
    /// Queues sequences that enter together (a request's choices, a drawing's two rows), each counting as a request
    /// against the queue bound; throws <see cref="QueueFullException"/>, disposing them and <paramref name="cancel"/>, when they do not fit.
    /// </summary>
    private void Enqueue(Sequence[] sequences, CancellationTokenSource cancel)
    {
        lock (_queueLock)
        {
            var tokens = sequences.Sum(s => s.PrefillTokens);
            if (_waiting.Count + sequences.Length > _options.MaxQueuedRequests || _waitingTokens + tokens > _options.MaxQueuedTokens)
            {
                cancel.Dispose();
                foreach (var s in sequences)
                {
                    s.Dispose();
                }

                _observer.RequestRejected(_model);
                throw new QueueFullException(
                    $"Server Overloaded: {_waiting.Count} requests ({_waitingTokens} prompt tokens) are already waiting for model '{_model}'.",
                    TimeSpan.FromSeconds(1 + _waiting.Count / Math.Max(1, _decoder.MaxRows)));
            }

            var step = Volatile.Read(ref _step);
            foreach (var s in sequences)
            {
                s.EnqueuedStep = step;
                _waiting.Enqueue(s);
                _waitingTokens += s.PrefillTokens;
            }
        }

        cancel.Token.Register(static s => ((Scheduler)s!).Wake(), this);
        Wake();
    }

    /// <summary>Choice <paramref name="index"/> of a request: its own sampler (a seeded request's choice k samples with seed + k), grammar and output.</summary>
    private Sequence Create(GenerationRequest request, ChoiceGroup group, int index, CancellationToken cancellation, long enqueued)
    {
        var sampling = index > 0 && request.Sampling.Seed is { } seed ? request.Sampling with { Seed = seed + index } : request.Sampling;
        var grammar = request.Grammar is { } g ? new GrammarLogitsProcessor(g, _tokenizer, _eos, request.StartsInsideThinking) : null;
        return new Sequence(request, new SequenceOutput(_tokenizer, request), new TokenSampler(sampling, _decoder.VocabSize), grammar,
            cancellation, enqueued, group, index)
        {
            Need = (int)Math.Min((long)request.PromptTokens.Count + request.MaxTokens, _decoder.Capacity),
        };
    }
}
