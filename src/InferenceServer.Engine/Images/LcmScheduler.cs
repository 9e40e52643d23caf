namespace InferenceServer.Engine.Images;

/// <summary>diffusers' <c>LCMScheduler</c>: consistency-model steps (boundary-condition scalings, fresh noise between steps).</summary>
internal sealed class LcmScheduler : DiffusionScheduler
{
    private const double SigmaData = 0.5;
    private readonly double[] _timesteps;

    public LcmScheduler(SchedulerConfig config, int steps)
        : base(config)
    {
        int original = Math.Max(Config.OriginalInferenceSteps, steps);
        int k = Math.Max(1, Config.TrainTimesteps / original);
        int skip = Math.Max(1, original / steps);
        _timesteps = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            _timesteps[i] = ((original - (i * skip)) * k) - 1;
        }
    }

    public override IReadOnlyList<double> Timesteps => _timesteps;

    public override double InitNoiseSigma => 1.0;

    public override void Step(ReadOnlySpan<float> modelOutput, int step, Span<float> latents, GaussianNoise noise)
    {
        double t = _timesteps[step];
        bool last = step + 1 >= _timesteps.Length;
        double alpha = AlphaAt(t);
        double scaled = t * Config.TimestepScaling;
        double cSkip = SigmaData * SigmaData / ((scaled * scaled) + (SigmaData * SigmaData));
        double cOut = scaled / Math.Sqrt((scaled * scaled) + (SigmaData * SigmaData));
        double previous = last ? 1.0 : AlphaAt(_timesteps[step + 1]);
        double a = Math.Sqrt(previous);
        double b = Math.Sqrt(1 - previous);
        for (int i = 0; i < latents.Length; i++)
        {
            var (x0, _) = Predict(latents[i], modelOutput[i], alpha);
            double denoised = (cOut * x0) + (cSkip * latents[i]);
            latents[i] = last ? (float)denoised : (float)((a * denoised) + (b * noise.Next()));
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
