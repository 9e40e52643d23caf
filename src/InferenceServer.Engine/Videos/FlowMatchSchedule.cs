namespace InferenceServer.Engine.Videos;

/// <summary>
/// The flow-matching sigma schedule Wan's schedulers use (diffusers' FlowMatchEulerDiscreteScheduler, and
/// UniPCMultistepScheduler with <c>use_flow_sigmas</c>): sigmas from 1 down to 1/N in even steps, shifted by
/// <c>shift·σ / (1 + (shift − 1)·σ)</c>, a final 0; timesteps σ·N. The Euler step is <c>x += (σₙ₊₁ − σₙ)·v</c>.
/// </summary>
public sealed class FlowMatchSchedule
{
    public FlowMatchSchedule(int steps, double shift, int trainTimesteps)
    {
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least one denoising step.");
        }

        // diffusers: timesteps = linspace(t(σmax), t(σmin), steps) with σmax = 1 and σmin = 1/N before the shift.
        Sigmas = new double[steps + 1];
        Timesteps = new double[steps];
        double min = 1.0 / trainTimesteps;
        for (int i = 0; i < steps; i++)
        {
            double sigma = steps == 1 ? 1.0 : 1.0 - ((1.0 - min) * i / (steps - 1));
            sigma = shift * sigma / (1 + ((shift - 1) * sigma));
            Sigmas[i] = sigma;
            Timesteps[i] = sigma * trainTimesteps;
        }

        Sigmas[steps] = 0;
    }

    public double[] Sigmas { get; }

    public double[] Timesteps { get; }

    /// <summary>One Euler step in place: <paramref name="latents"/> += (σ[step+1] − σ[step]) · <paramref name="velocity"/>.</summary>
    public void Step(ReadOnlySpan<float> velocity, int step, Span<float> latents)
    {
        float dt = (float)(Sigmas[step + 1] - Sigmas[step]);
        for (int i = 0; i < latents.Length; i++)
        {
            latents[i] += dt * velocity[i];
        }
    }
}
