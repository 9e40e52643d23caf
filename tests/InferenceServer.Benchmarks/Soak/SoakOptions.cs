using System.Globalization;

namespace InferenceServer.Benchmarks.Soak;

/// <summary>Command-line options of the <c>soak</c> scenario.</summary>
/// <param name="Minutes">how long the mixed load runs (default 30)</param>
/// <param name="Clients">concurrent clients, each sending requests back to back (default 4)</param>
/// <param name="IntervalSeconds">one report row per interval (default 60)</param>
/// <param name="Seed">seeds the mix each client draws from, so two runs send the same sequence</param>
internal sealed record SoakOptions(double Minutes, int Clients, int IntervalSeconds, int Seed)
{
    public static SoakOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var options = new SoakOptions(
            double.Parse(Value("--minutes") ?? "30", CultureInfo.InvariantCulture),
            int.Parse(Value("--clients") ?? "4", CultureInfo.InvariantCulture),
            int.Parse(Value("--interval") ?? "60", CultureInfo.InvariantCulture),
            int.Parse(Value("--seed") ?? "7", CultureInfo.InvariantCulture));
        if (options.Minutes <= 0 || options.Clients < 1 || options.IntervalSeconds < 1)
        {
            throw new ArgumentException("--minutes > 0, --clients >= 1 and --interval >= 1 are required");
        }

        return options;
    }
}
