namespace InferenceServer.Engine.Images;

/// <summary>
/// Standard-normal samples from a seeded SplitMix64 generator through Box–Muller: the same seed gives the same
/// numbers on every machine and runtime version (unlike <see cref="Random"/>), so the same request gives the same image.
/// </summary>
public sealed class GaussianNoise
{
    private ulong _state;
    private float _spare;
    private bool _hasSpare;

    public GaussianNoise(long seed) => _state = unchecked((ulong)seed);

    public float Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        // u1 in (0, 1]: never log(0).
        double u1 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        u1 = 1.0 - u1;
        double u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spare = (float)(radius * Math.Sin(angle));
        _hasSpare = true;
        return (float)(radius * Math.Cos(angle));
    }

    public void Fill(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Next();
        }
    }

    public float[] Sample(int count)
    {
        var values = new float[count];
        Fill(values);
        return values;
    }

    private ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
