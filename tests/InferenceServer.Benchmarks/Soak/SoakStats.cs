namespace InferenceServer.Benchmarks.Soak;

/// <summary>Outcomes of soak requests: counts, failures and latencies, per operation or per interval.</summary>
internal sealed class SoakStats
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _gate = new();

    public int Requests { get; private set; }

    public int Failures { get; private set; }

    public void Add(double milliseconds, bool ok)
    {
        lock (_gate)
        {
            Requests++;
            Failures += ok ? 0 : 1;
            _milliseconds.Add(milliseconds);
        }
    }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_milliseconds.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _milliseconds.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }
}
