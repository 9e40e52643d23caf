namespace InferenceServer.Engine.Generation;

/// <summary>Log-softmax of a step's logits for the sampled token and the top k alternatives (k ≤ 20). One per sequence.</summary>
internal sealed class LogprobCalculator
{
    public const int MaxTop = 20;
    private readonly int _top;

    public LogprobCalculator(int top) => _top = Math.Clamp(top, 0, MaxTop);

    public TokenLogprobs Compute(ReadOnlySpan<float> logits, int token, bool reasoning)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        double sum = 0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - max);
        }

        var logZ = max + (float)Math.Log(sum);
        var top = new TokenLogprob[_top];
        var count = 0;
        for (var i = 0; i < logits.Length && _top > 0; i++)
        {
            var l = logits[i];
            if (float.IsNegativeInfinity(l) || (count == _top && l <= top[count - 1].Logprob))
            {
                continue;
            }

            // Insertion into the descending top list.
            var at = count < _top ? count++ : _top - 1;
            while (at > 0 && top[at - 1].Logprob < l)
            {
                top[at] = top[at - 1];
                at--;
            }

            top[at] = new TokenLogprob(i, l);
        }

        for (var i = 0; i < count; i++)
        {
            top[i] = top[i] with { Logprob = top[i].Logprob - logZ };
        }

        var chosen = new TokenLogprob(token, logits[token] - logZ);
        return new TokenLogprobs(chosen, count == _top ? top : top[..count], reasoning);
    }
}
