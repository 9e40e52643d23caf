namespace InferenceServer.Engine.Videos;

/// <summary>
/// diffusers' FlowMatchEulerDiscreteScheduler (static shift): timesteps in even steps from t(σmax) = N down to
/// t(σmin), where σmin is the shifted 1/N; σ = t/N shifted again by <c>shift·σ / (1 + (shift − 1)·σ)</c>; a final 0.
/// The step is <c>x += (σₙ₊₁ − σₙ)·v</c>.
/// </summary>
public sealed class FlowMatchEulerScheduler : IVideoScheduler
{
    private readonly double[] _sigmas;
    private readonly double[] _timesteps;

    public FlowMatchEulerScheduler(int steps, double shift, int trainTimesteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);

        // __init__ shifts the training sigmas once, so sigma_min = shift(1/N); set_timesteps shifts its linspace again.
        double max = Shift(1.0, shift);
        double min = Shift(1.0 / trainTimesteps, shift);
        _sigmas = new double[steps + 1];
        _timesteps = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            double t = steps == 1 ? max * trainTimesteps : (max * trainTimesteps) + (((min - max) * trainTimesteps) * i / (steps - 1));
            double sigma = (float)Shift(t / trainTimesteps, shift);
            _sigmas[i] = sigma;
            _timesteps[i] = (float)(sigma * trainTimesteps);
        }

        _sigmas[steps] = 0;
    }

    public IReadOnlyList<double> Sigmas => _sigmas;

    public IReadOnlyList<double> Timesteps => _timesteps;

    public void Step(ReadOnlySpan<float> velocity, int step, Span<float> latents)
    {
        float dt = (float)(_sigmas[step + 1] - _sigmas[step]);
        for (int i = 0; i < latents.Length; i++)
        {
            latents[i] += dt * velocity[i];
        }
    }

    internal static double Shift(double sigma, double shift) => shift * sigma / (1 + ((shift - 1) * sigma));
}
