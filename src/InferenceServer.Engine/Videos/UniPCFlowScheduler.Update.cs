namespace InferenceServer.Engine.Videos;

/// <summary>The B(h) update shared by UniP and UniC: its coefficients and the per-element combination.</summary>
public sealed partial class UniPCFlowScheduler
{
    /// <summary>
    /// Writes into <paramref name="target"/>: σt/σs₀·x − αt·hφ₁·m₀ − αt·B(h)·(Σₖ ρₖ·D1ₖ [+ ρ_last·(model_t − m₀)]), with
    /// m₀ the newest data prediction, D1ₖ = (mₖ − m₀)/rₖ over the older ones, and the last term only in the corrector.
    /// </summary>
    private void Combine(ReadOnlySpan<float> x, Span<float> target, in UpdateCoefficients c, double[] rhos, float[]? modelT)
    {
        var outputs = _outputs!;
        var m0 = outputs[_order - 1];
        int history = c.Ranks.Length - 1;
        float keep = (float)c.Keep;
        float data = (float)c.Data;
        float b = (float)c.Bh;
        Span<float> weights = stackalloc float[Math.Max(1, history)];
        for (int k = 0; k < history; k++)
        {
            weights[k] = (float)(rhos[k] / c.Ranks[k]);
        }

        float rhoT = modelT is null ? 0f : (float)rhos[^1];
        for (int i = 0; i < target.Length; i++)
        {
            float m = m0[i];
            float residual = 0f;
            for (int k = 0; k < history; k++)
            {
                residual += weights[k] * (outputs[_order - 2 - k][i] - m);
            }

            if (modelT is not null)
            {
                residual += rhoT * (modelT[i] - m);
            }

            target[i] = (keep * x[i]) - (data * m) - (b * residual);
        }
    }

    /// <summary>
    /// h = λt − λs₀, hh = −h (data prediction), hφ₁ = expm1(hh), B(h); rₖ = (λ(σ of the k-th older output) − λs₀)/h;
    /// the system R (rows rᵢ⁰…) and b as diffusers builds them.
    /// </summary>
    private UpdateCoefficients Coefficients(double sigmaT, double sigmaS0, Func<int, double> olderSigma, int order)
    {
        double lambdaS0 = Lambda(sigmaS0);
        double h = Lambda(sigmaT) - lambdaS0;
        double hh = -h;
        double hPhi1 = ExpM1(hh);
        double bh = _bh2 ? ExpM1(hh) : hh;
        var ranks = new double[order];
        for (int k = 1; k < order; k++)
        {
            ranks[k - 1] = (Lambda(olderSigma(k)) - lambdaS0) / h;
        }

        ranks[order - 1] = 1;
        var r = new double[order, order];
        var rhs = new double[order];
        double hPhiK = (hPhi1 / hh) - 1;
        double factorial = 1;
        for (int i = 1; i <= order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                r[i - 1, j] = Math.Pow(ranks[j], i - 1);
            }

            rhs[i - 1] = hPhiK * factorial / bh;
            factorial *= i + 1;
            hPhiK = (hPhiK / hh) - (1 / factorial);
        }

        double alphaT = 1 - sigmaT;
        return new UpdateCoefficients(sigmaT / sigmaS0, alphaT * hPhi1, alphaT * bh, ranks, r, rhs);
    }

    /// <summary>λ = log(α) − log(σ) with α = 1 − σ (use_flow_sigmas); +∞ at σ = 0.</summary>
    private static double Lambda(double sigma) => Math.Log(1 - sigma) - Math.Log(sigma);

    /// <summary>eˣ − 1 without the cancellation near 0 (Kahan's trick); −1 at −∞.</summary>
    internal static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    /// <summary>Solves the leading <paramref name="n"/>×<paramref name="n"/> block of R·ρ = b (Gaussian elimination, partial pivoting).</summary>
    private static double[] Solve(double[,] r, double[] b, int n)
    {
        var a = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = r[i, j];
            }

            a[i, n] = b[i];
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (int j = 0; j <= n; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }

            for (int row = col + 1; row < n; row++)
            {
                double f = a[row, col] / a[col, col];
                for (int j = col; j <= n; j++)
                {
                    a[row, j] -= f * a[col, j];
                }
            }
        }

        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = a[i, n];
            for (int j = i + 1; j < n; j++)
            {
                s -= a[i, j] * x[j];
            }

            x[i] = s / a[i, i];
        }

        return x;
    }

    /// <summary>σt/σs₀, αt·hφ₁, αt·B(h), the ranks r (last = 1) and the system R·ρ = b.</summary>
    private readonly record struct UpdateCoefficients(double Keep, double Data, double Bh, double[] Ranks, double[,] R, double[] B);
}
