using System.Globalization;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// CI runs a fixed seed and a bounded count; <c>FUZZ_ITERATIONS</c> (requests generated per route) and <c>FUZZ_SEED</c>
/// make a longer or different run.
/// </summary>
public static class FuzzSettings
{
    /// <summary>A generous cap per request: it catches a hang, it does not time anything.</summary>
    public static TimeSpan HangCap { get; } = TimeSpan.FromSeconds(20);

    public static ulong Seed { get; } =
        ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 19;

    /// <summary><c>FUZZ_VERBOSE=1</c>: every request and the start of its answer in the test output.</summary>
    public static bool Verbose { get; } = Environment.GetEnvironmentVariable("FUZZ_VERBOSE") == "1";

    /// <summary>Requests to generate for one route: <paramref name="ci"/> unless <c>FUZZ_ITERATIONS</c> says otherwise.</summary>
    public static int Iterations(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ci;
}
