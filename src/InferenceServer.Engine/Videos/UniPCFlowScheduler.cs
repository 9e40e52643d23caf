namespace InferenceServer.Engine.Videos;

/// <summary>
/// diffusers' UniPCMultistepScheduler with <c>use_flow_sigmas</c>, <c>prediction_type: flow_prediction</c> and
/// <c>predict_x0</c> (Wan's scheduler): sigmas = shift(linspace(1, 1/N, steps + 1)[:-1]), the first nudged below 1,
/// timesteps = ⌊σ·N⌋ (diffusers casts to int64), a final 0. Each step turns the velocity into a data prediction
/// x₀ = x − σ·v, corrects the previous step with it (UniC), then predicts the next sample (UniP) from up to
/// <c>solver_order</c> data predictions, with B(h) = h (bh1) or eʰ − 1 (bh2) and λ = log(α/σ), α = 1 − σ.
/// </summary>
public sealed partial class UniPCFlowScheduler : IVideoScheduler
{
    private readonly double[] _sigmas;
    private readonly double[] _timesteps;
    private readonly int _order;
    private readonly bool _bh2;
    private readonly bool _lowerOrderFinal;
    private readonly IReadOnlySet<int> _disableCorrector;
    private float[][]? _outputs;
    private float[]? _lastSample;
    private float[]? _converted;
    private int _lowerOrderNums;
    private int _thisOrder;

    public UniPCFlowScheduler(int steps, double flowShift, int trainTimesteps, int solverOrder = 2, bool bh2 = true,
        bool lowerOrderFinal = true, IReadOnlySet<int>? disableCorrector = null, bool finalSigmaZero = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(solverOrder, 1);
        _order = solverOrder;
        _bh2 = bh2;
        _lowerOrderFinal = lowerOrderFinal;
        _disableCorrector = disableCorrector ?? new HashSet<int>();
        _sigmas = new double[steps + 1];
        _timesteps = new double[steps];

        // numpy's linspace: start + i·(stop − start)/(num − 1), with num = steps + 1 and the last value dropped.
        double delta = ((1.0 / trainTimesteps) - 1.0) / steps;
        for (int i = 0; i < steps; i++)
        {
            double sigma = FlowMatchEulerScheduler.Shift((i * delta) + 1.0, flowShift);
            if (i == 0 && Math.Abs(sigma - 1) < 1e-6)
            {
                sigma -= 1e-6; // diffusers: keeps log(α) finite in the first updates
            }

            _timesteps[i] = Math.Truncate(sigma * trainTimesteps);
            _sigmas[i] = (float)sigma;
        }

        _sigmas[steps] = finalSigmaZero ? 0 : _sigmas[steps - 1];
    }

    public IReadOnlyList<double> Sigmas => _sigmas;

    public IReadOnlyList<double> Timesteps => _timesteps;

    public void Step(ReadOnlySpan<float> velocity, int step, Span<float> latents)
    {
        int n = latents.Length;
        if (_outputs is null)
        {
            _outputs = new float[_order][];
            _lastSample = new float[n];
            _converted = new float[n];
        }

        // convert_model_output: flow_prediction with predict_x0 ⇒ x₀ = sample − σ·v (from the uncorrected sample).
        var converted = _converted!;
        float sigma = (float)_sigmas[step];
        for (int i = 0; i < n; i++)
        {
            converted[i] = latents[i] - (sigma * velocity[i]);
        }

        if (step > 0 && !_disableCorrector.Contains(step - 1))
        {
            Correct(converted, step, latents);
        }

        // The oldest slot is recycled as the newest: model_outputs shifts left by one.
        var recycled = _outputs[0] ?? new float[n];
        Array.Copy(_outputs, 1, _outputs, 0, _order - 1);
        converted.AsSpan().CopyTo(recycled);
        _outputs[_order - 1] = recycled;

        int order = _lowerOrderFinal ? Math.Min(_order, _timesteps.Length - step) : _order;
        _thisOrder = Math.Min(order, _lowerOrderNums + 1);
        latents.CopyTo(_lastSample);
        Predict(step, latents);
        if (_lowerOrderNums < _order)
        {
            _lowerOrderNums++;
        }
    }

    /// <summary>multistep_uni_p_bh_update: the sample at σ[step + 1] from the sample at σ[step].</summary>
    private void Predict(int step, Span<float> sample)
    {
        int order = _thisOrder;
        var c = Coefficients(_sigmas[step + 1], _sigmas[step], k => _sigmas[step - k], order);
        double[] rhos = order switch
        {
            1 => [],
            2 => [0.5],
            _ => Solve(c.R, c.B, order - 1),
        };

        Combine(sample, sample, c, rhos, null);
    }

    /// <summary>multistep_uni_c_bh_update: redoes the step σ[step − 1] → σ[step] with the new data prediction.</summary>
    private void Correct(float[] modelT, int step, Span<float> sample)
    {
        int order = _thisOrder;
        var c = Coefficients(_sigmas[step], _sigmas[step - 1], k => _sigmas[step - 1 - k], order);
        double[] rhos = order == 1 ? [0.5] : Solve(c.R, c.B, order);
        Combine(_lastSample!, sample, c, rhos, modelT);
    }
}
