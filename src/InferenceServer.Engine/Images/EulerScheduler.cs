namespace InferenceServer.Engine.Images;

/// <summary>diffusers' <c>EulerDiscreteScheduler</c> and, with <c>ancestral</c>, <c>EulerAncestralDiscreteScheduler</c>.</summary>
internal sealed class EulerScheduler : DiffusionScheduler
{
    private readonly double[] _timesteps;
    private readonly double[] _sigmas;
    private readonly bool _ancestral;

    public EulerScheduler(SchedulerConfig config, int steps, bool ancestral)
        : base(config)
    {
        _ancestral = ancestral;
        _timesteps = SpacedTimesteps(config, steps, roundLinspace: false);
        _sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++)
        {
            _sigmas[i] = SigmaAt(_timesteps[i]);
        }

        double max = _sigmas[0];
        InitNoiseSigma = config.TimestepSpacing is "linspace" or "trailing" ? max : Math.Sqrt((max * max) + 1);
    }

    public override IReadOnlyList<double> Timesteps => _timesteps;

    public override double InitNoiseSigma { get; }

    public override void ScaleInput(ReadOnlySpan<float> latents, Span<float> destination, int step)
    {
        float scale = (float)(1 / Math.Sqrt((_sigmas[step] * _sigmas[step]) + 1));
        for (int i = 0; i < latents.Length; i++)
        {
            destination[i] = latents[i] * scale;
        }
    }

    public override void Step(ReadOnlySpan<float> modelOutput, int step, Span<float> latents, GaussianNoise noise)
    {
        double sigma = _sigmas[step];
        double next = _sigmas[step + 1];
        double down = next;
        double up = 0;
        if (_ancestral && next > 0)
        {
            up = Math.Sqrt(next * next * ((sigma * sigma) - (next * next)) / (sigma * sigma));
            down = Math.Sqrt((next * next) - (up * up));
        }

        double dt = down - sigma;
        double c = 1 / ((sigma * sigma) + 1);
        double v = -sigma / Math.Sqrt((sigma * sigma) + 1);
        for (int i = 0; i < latents.Length; i++)
        {
            double x = latents[i];
            double x0 = PredictsVelocity ? (modelOutput[i] * v) + (x * c) : x - (sigma * modelOutput[i]);
            double derivative = (x - x0) / sigma;
            latents[i] = (float)(x + (derivative * dt));
        }

        if (up > 0)
        {
            for (int i = 0; i < latents.Length; i++)
            {
                latents[i] += (float)(noise.Next() * up);
            }
        }
    }

    public override void AddNoise(ReadOnlySpan<float> original, ReadOnlySpan<float> noise, int step, Span<float> destination)
    {
        float sigma = (float)_sigmas[step];
        for (int i = 0; i < original.Length; i++)
        {
            destination[i] = original[i] + (noise[i] * sigma);
        }
    }

    /// <summary>σ(t) = √((1 − ᾱ)/ᾱ), linearly interpolated between training timesteps.</summary>
    private double SigmaAt(double t)
    {
        int low = Math.Clamp((int)Math.Floor(t), 0, AlphasCumprod.Length - 1);
        int high = Math.Min(low + 1, AlphasCumprod.Length - 1);
        double w = Math.Clamp(t - low, 0, 1);
        return ((1 - w) * Sigma(AlphasCumprod[low])) + (w * Sigma(AlphasCumprod[high]));

        static double Sigma(double alpha) => Math.Sqrt((1 - alpha) / alpha);
    }
}
