namespace InferenceServer.Engine.Generation;

/// <summary>
/// One picture drawn token by token with classifier-free guidance (Janus-Pro's <c>generation_inference.py</c>): two
/// sequences of the scheduler, the prompt (<see cref="Conditional"/>) and its unconditional twin, admitted together,
/// promoted together once both prompts are in their rows, and decoded in the same steps. Each step both rows' image
/// logits are posted; the second completes the position: one token drawn at temperature 1 from
/// softmax(uncond + w × (cond − uncond)) and fed back to both rows. Used by the scheduler's thread only, except for
/// <see cref="Tokens"/> once the drawing has finished.
/// </summary>
internal sealed class Drawing
{
    private readonly float[] _first;
    private readonly double[] _mixed;
    private readonly Random _random;
    private readonly float _guidance;
    private readonly Action? _tokenDrawn;
    private bool _posted;

    public Drawing(DrawingRequest request, int codebook)
    {
        StartToken = request.StartToken;
        Tokens = new long[request.ImageTokens];
        _guidance = request.Guidance;
        _random = new Random(request.Seed);
        _tokenDrawn = request.TokenDrawn;
        _first = new float[codebook];
        _mixed = new double[codebook];
    }

    /// <summary>The image start tag: both prompts end with it, and it is fed at the drawing's first step.</summary>
    public int StartToken { get; }

    public Sequence Conditional { get; set; } = null!;

    /// <summary>True once both prompts are in their rows and the pair has joined the decoding rows.</summary>
    public bool Decoding { get; set; }

    public Sequence Unconditional { get; set; } = null!;

    /// <summary>The drawn image tokens, <see cref="Drawn"/> of them so far.</summary>
    public long[] Tokens { get; }

    public int Drawn { get; private set; }

    public bool Complete => Drawn == Tokens.Length;

    public Sequence Partner(Sequence s) => ReferenceEquals(s, Conditional) ? Unconditional : Conditional;

    /// <summary>
    /// Posts a row's image logits for the current position; when both rows have posted, draws the token and returns
    /// it, else -1.
    /// </summary>
    public int Post(Sequence s, ReadOnlySpan<float> logits)
    {
        var codebook = _first.Length;
        if (!_posted)
        {
            logits[..codebook].CopyTo(_first);
            _posted = true;
            return -1;
        }

        // The first row to post may be either; keep the formula's order whichever it was.
        _posted = false;
        ReadOnlySpan<float> cond = ReferenceEquals(s, Conditional) ? logits[..codebook] : _first;
        ReadOnlySpan<float> uncond = ReferenceEquals(s, Conditional) ? _first : logits[..codebook];
        var token = Sample(cond, uncond);
        Tokens[Drawn++] = token;
        _tokenDrawn?.Invoke();
        return token;
    }

    private int Sample(ReadOnlySpan<float> cond, ReadOnlySpan<float> uncond)
    {
        var mixed = _mixed;
        var max = double.NegativeInfinity;
        for (var t = 0; t < mixed.Length; t++)
        {
            mixed[t] = uncond[t] + (_guidance * ((double)cond[t] - uncond[t]));
            max = Math.Max(max, mixed[t]);
        }

        var sum = 0.0;
        for (var t = 0; t < mixed.Length; t++)
        {
            mixed[t] = Math.Exp(mixed[t] - max);
            sum += mixed[t];
        }

        var u = _random.NextDouble() * sum;
        for (var t = 0; t < mixed.Length; t++)
        {
            u -= mixed[t];
            if (u < 0)
            {
                return t;
            }
        }

        return mixed.Length - 1;
    }
}
