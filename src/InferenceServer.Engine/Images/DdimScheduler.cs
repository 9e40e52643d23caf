namespace InferenceServer.Engine.Images;

/// <summary>diffusers' <c>DDIMScheduler</c> with η = 0 (deterministic).</summary>
internal sealed class DdimScheduler : DiffusionScheduler
{
    private readonly double[] _timesteps;

    public DdimScheduler(SchedulerConfig config, int steps)
        : base(config) => _timesteps = SpacedTimesteps(config, steps, roundLinspace: true);

    public override IReadOnlyList<double> Timesteps => _timesteps;

    public override double InitNoiseSigma => 1.0;

    public override void Step(ReadOnlySpan<float> modelOutput, int step, Span<float> latents, GaussianNoise noise)
    {
        double alpha = AlphaAt(_timesteps[step]);
        double previous = step + 1 < _timesteps.Length
            ? AlphaAt(_timesteps[step + 1])
            : Config.SetAlphaToOne ? 1.0 : AlphasCumprod[0];
        double a = Math.Sqrt(previous);
        double b = Math.Sqrt(1 - previous);
        for (int i = 0; i < latents.Length; i++)
        {
            var (x0, eps) = Predict(latents[i], modelOutput[i], alpha);
            latents[i] = (float)((a * x0) + (b * eps));
        }
    }

    public override void AddNoise(ReadOnlySpan<float> original, ReadOnlySpan<float> noise, int step, Span<float> destination)
    {
        double alpha = AlphaAt(_timesteps[step]);
        float a = (float)Math.Sqrt(alpha);
        float b = (float)Math.Sqrt(1 - alpha);
        for (int i = 0; i < original.Length; i++)
        {
            destination[i] = (original[i] * a) + (noise[i] * b);
        }
    }
}
