namespace InferenceServer.Engine.Images;

/// <summary>
/// One denoising run's schedule: the timesteps the UNet sees and how each step moves the latents. A new instance per
/// image (schedulers keep per-run state), built by <see cref="Create"/> from the folder's config and the step count.
/// </summary>
public abstract class DiffusionScheduler
{
    protected DiffusionScheduler(SchedulerConfig config)
    {
        Config = config;
        AlphasCumprod = AlphaSchedule(config);
    }

    public SchedulerConfig Config { get; }

    /// <summary>The timestep value passed to the UNet at each step, first (noisiest) to last.</summary>
    public abstract IReadOnlyList<double> Timesteps { get; }

    /// <summary>The standard deviation of the starting noise.</summary>
    public abstract double InitNoiseSigma { get; }

    protected double[] AlphasCumprod { get; }

    protected bool PredictsVelocity => Config.PredictionType == "v_prediction";

    public static DiffusionScheduler Create(SchedulerKind kind, SchedulerConfig config, int steps) => kind switch
    {
        SchedulerKind.Euler => new EulerScheduler(config, steps, ancestral: false),
        SchedulerKind.EulerAncestral => new EulerScheduler(config, steps, ancestral: true),
        SchedulerKind.Ddim => new DdimScheduler(config, steps),
        SchedulerKind.Lcm => new LcmScheduler(config, steps),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown scheduler."),
    };

    /// <summary>Scales the latents into the UNet's input at <paramref name="step"/>.</summary>
    public virtual void ScaleInput(ReadOnlySpan<float> latents, Span<float> destination, int step) => latents.CopyTo(destination);

    /// <summary>Moves <paramref name="latents"/> from step <paramref name="step"/> to the next, in place.</summary>
    public abstract void Step(ReadOnlySpan<float> modelOutput, int step, Span<float> latents, GaussianNoise noise);

    /// <summary>Noises clean latents to the level of <paramref name="step"/> (image-to-image start, inpainting).</summary>
    public abstract void AddNoise(ReadOnlySpan<float> original, ReadOnlySpan<float> noise, int step, Span<float> destination);

    /// <summary>diffusers' <c>timestep_spacing</c>: which of the training timesteps a run of <paramref name="steps"/> visits.</summary>
    protected static double[] SpacedTimesteps(SchedulerConfig config, int steps, bool roundLinspace)
    {
        int t = config.TrainTimesteps;
        var result = new double[steps];
        switch (config.TimestepSpacing)
        {
            case "linspace":
                for (int i = 0; i < steps; i++)
                {
                    double v = steps == 1 ? 0 : (t - 1) * (double)i / (steps - 1);
                    result[steps - 1 - i] = roundLinspace ? Math.Round(v) : v;
                }

                break;
            case "trailing":
                double ratio = (double)t / steps;
                for (int i = 0; i < steps; i++)
                {
                    result[i] = Math.Round(t - (i * ratio)) - 1;
                }

                break;
            default:
                int stepRatio = t / steps;
                for (int i = 0; i < steps; i++)
                {
                    result[steps - 1 - i] = (i * stepRatio) + config.StepsOffset;
                }

                break;
        }

        return result;
    }

    protected double AlphaAt(double timestep) => AlphasCumprod[Math.Clamp((int)Math.Round(timestep), 0, AlphasCumprod.Length - 1)];

    /// <summary>The clean-sample estimate and the noise estimate from the UNet's output at alpha-bar <paramref name="alpha"/>.</summary>
    protected (float X0, float Eps) Predict(float sample, float output, double alpha)
    {
        double a = Math.Sqrt(alpha);
        double b = Math.Sqrt(1 - alpha);
        return PredictsVelocity
            ? ((float)((a * sample) - (b * output)), (float)((a * output) + (b * sample)))
            : ((float)((sample - (b * output)) / a), output);
    }

    private static double[] AlphaSchedule(SchedulerConfig config)
    {
        int t = config.TrainTimesteps;
        var alphas = new double[t];
        double product = 1;
        for (int i = 0; i < t; i++)
        {
            double f = t == 1 ? 0 : (double)i / (t - 1);
            double beta = config.BetaSchedule == "linear"
                ? config.BetaStart + (f * (config.BetaEnd - config.BetaStart))
                : Math.Pow(Math.Sqrt(config.BetaStart) + (f * (Math.Sqrt(config.BetaEnd) - Math.Sqrt(config.BetaStart))), 2);
            product *= 1 - beta;
            alphas[i] = product;
        }

        return alphas;
    }
}
