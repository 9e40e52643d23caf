using System.Diagnostics;

namespace InferenceServer.Benchmarks.Serving;

/// <summary>Timings of one scenario run: per-request TTFT, all inter-token gaps, tokens and wall time.</summary>
internal sealed class RunStats
{
    private readonly List<double> _ttft = [];
    private readonly List<double> _itl = [];
    private readonly List<(long First, long End)> _spans = [];
    private readonly Lock _gate = new();

    public int Requests { get; private set; }

    public long OutputTokens { get; private set; }

    public TimeSpan Wall { get; set; }

    public void Add(double ttftSeconds, IReadOnlyList<double> gapsSeconds, int outputTokens)
    {
        lock (_gate)
        {
            Requests++;
            OutputTokens += outputTokens;
            _ttft.Add(ttftSeconds);
            _itl.AddRange(gapsSeconds);
        }
    }

    /// <summary>Records when a request's first token came and when its stream ended (<see cref="Stopwatch"/> timestamps).</summary>
    public void AddSpan(long firstToken, long end)
    {
        lock (_gate)
        {
            _spans.Add((firstToken, end));
        }
    }

    /// <summary>The most requests streaming at the same moment (between their first token and their end).</summary>
    public int MostConcurrent()
    {
        var events = _spans.SelectMany(s => new[] { (At: s.First, Delta: 1), (At: s.End, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta);
        int now = 0, most = 0;
        foreach (var e in events)
        {
            now += e.Delta;
            most = Math.Max(most, now);
        }

        return most;
    }

    public double TokensPerSecond => OutputTokens / Wall.TotalSeconds;

    public double RequestsPerSecond => Requests / Wall.TotalSeconds;

    public double Ttft(double p) => Percentile(_ttft, p);

    public double Itl(double p) => Percentile(_itl, p);

    public double MeanTtft => _ttft.Count == 0 ? double.NaN : _ttft.Average();

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
