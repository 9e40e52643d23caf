namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// A tiny integer-only PRNG, so forged weights are the same bytes on every runtime and platform
/// (no transcendental functions, unlike a Gaussian sampler).
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [-limit, limit).</summary>
    public float NextSymmetric(float limit)
    {
        double unit = (Next() >> 11) * (1.0 / (1UL << 53));
        return (float)(((2.0 * unit) - 1.0) * limit);
    }
}
