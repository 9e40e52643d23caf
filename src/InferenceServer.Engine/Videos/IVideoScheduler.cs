namespace InferenceServer.Engine.Videos;

/// <summary>
/// One run's flow-matching sampler: the transformer is called at <see cref="Timesteps"/>[step] and its velocity is
/// handed to <see cref="Step"/>, which moves the latents to the next sigma. Samplers may keep history (UniPC does), so
/// a run makes its own from <see cref="VideoSchedulerConfig.CreateScheduler"/>.
/// </summary>
public interface IVideoScheduler
{
    /// <summary>One sigma per step and the final one (0 unless the config says <c>sigma_min</c>).</summary>
    IReadOnlyList<double> Sigmas { get; }

    /// <summary>The timestep the transformer is given at each step.</summary>
    IReadOnlyList<double> Timesteps { get; }

    /// <summary>Moves <paramref name="latents"/> in place from step <paramref name="step"/>'s sigma to the next.</summary>
    void Step(ReadOnlySpan<float> velocity, int step, Span<float> latents);
}
