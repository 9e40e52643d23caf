namespace InferenceServer.Engine.Generation;

/// <summary>
/// Picks tokens from logits: penalties, then greedy or temperature / top-k / top-p sampling with a seeded generator
/// (the same seed gives the same choices). Holds its buffers, so sampling a token allocates nothing.
/// </summary>
internal sealed class TokenSampler
{
    private readonly SamplingOptions _options;
    private readonly Random _random;
    private readonly int[] _counts;
    private readonly int[] _order;
    private readonly float[] _probabilities;
    private readonly float[] _sortKeys;

    public TokenSampler(SamplingOptions options, int vocabSize)
    {
        _options = options;
        _random = options.Seed is { } seed ? new Random(unchecked((int)seed ^ (int)(seed >> 32))) : new Random();
        _counts = new int[vocabSize];
        _order = new int[vocabSize];
        _probabilities = new float[vocabSize];
        _sortKeys = new float[vocabSize];
    }

    private static Comparer<float> Descending { get; } = Comparer<float>.Create(static (a, b) => b.CompareTo(a));

    /// <summary>Records a generated token, for the penalties.</summary>
    public void Accept(int token)
    {
        if ((uint)token < (uint)_counts.Length)
        {
            _counts[token]++;
        }
    }

    public int Sample(Span<float> logits)
    {
        ApplyPenalties(logits);
        if (_options.IsGreedy)
        {
            return ArgMax(logits);
        }

        var n = logits.Length;
        var max = logits[ArgMax(logits)];
        var inverseTemperature = 1f / _options.Temperature;
        for (var i = 0; i < n; i++)
        {
            _order[i] = i;
        }

        var candidates = n;
        var needsOrder = _options.TopP < 1f || (_options.TopK > 0 && _options.TopK < n);
        if (needsOrder)
        {
            // Candidate ids by logit, descending.
            logits.CopyTo(_sortKeys);
            Array.Sort(_sortKeys, _order, 0, n, Descending);
            if (_options.TopK > 0 && _options.TopK < n)
            {
                candidates = _options.TopK;
            }
        }

        double sum = 0;
        for (var i = 0; i < candidates; i++)
        {
            var p = Math.Exp((logits[_order[i]] - max) * inverseTemperature);
            _probabilities[i] = (float)p;
            sum += p;
        }

        // Nucleus: keep the smallest prefix whose mass reaches top_p.
        if (_options.TopP < 1f)
        {
            double kept = 0;
            var limit = candidates;
            for (var i = 0; i < candidates; i++)
            {
                kept += _probabilities[i] / sum;
                if (kept >= _options.TopP)
                {
                    limit = i + 1;
                    break;
                }
            }

            candidates = limit;
            sum = 0;
            for (var i = 0; i < candidates; i++)
            {
                sum += _probabilities[i];
            }
        }

        var target = _random.NextDouble() * sum;
        double cumulative = 0;
        for (var i = 0; i < candidates; i++)
        {
            cumulative += _probabilities[i];
            if (cumulative >= target)
            {
                return _order[i];
            }
        }

        return _order[candidates - 1];
    }

    private void ApplyPenalties(Span<float> logits)
    {
        var frequency = _options.FrequencyPenalty;
        var presence = _options.PresencePenalty;
        if (frequency == 0f && presence == 0f)
        {
            return;
        }

        for (var i = 0; i < logits.Length; i++)
        {
            var c = _counts[i];
            if (c > 0)
            {
                logits[i] -= (c * frequency) + presence;
            }
        }
    }

    internal static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        var bestValue = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            if (logits[i] > bestValue)
            {
                bestValue = logits[i];
                best = i;
            }
        }

        return best;
    }
}
