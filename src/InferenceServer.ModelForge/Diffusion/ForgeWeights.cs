using InferenceServer.Engine.Images;

namespace InferenceServer.ModelForge.Diffusion;

/// <summary>Deterministic random weights (seeded normal draws, scaled), the same bytes on every machine.</summary>
internal sealed class ForgeWeights
{
    private readonly GaussianNoise _noise;

    public ForgeWeights(int seed) => _noise = new GaussianNoise(seed);

    public float[] Normal(int count, float scale)
    {
        var values = _noise.Sample(count);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }

        return values;
    }
}
