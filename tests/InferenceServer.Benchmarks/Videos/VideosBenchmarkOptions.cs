using System.Globalization;

namespace InferenceServer.Benchmarks.Videos;

/// <summary>Command-line options of the <c>videos</c> scenario.</summary>
/// <param name="Hidden">Channels of the forge bench transformer's heavy convolutions (it dominates a video, as a real DiT does).</param>
internal sealed record VideosBenchmarkOptions(string? ModelPath, int Hidden, string Size, int Seconds, int Fps, int Steps, float Guidance, int Videos)
{
    public int Width => int.Parse(Size.Split('x')[0], CultureInfo.InvariantCulture);

    public int Height => int.Parse(Size.Split('x')[1], CultureInfo.InvariantCulture);

    public static VideosBenchmarkOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => int.Parse(Value(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return new VideosBenchmarkOptions(
            Value("--model-path"),
            Int("--hidden", 1536),
            Value("--size") ?? "256x256",
            Int("--seconds", 2),
            Int("--fps", 8),
            Int("--steps", 50),
            float.Parse(Value("--guidance") ?? "3", CultureInfo.InvariantCulture),
            Int("--videos", 4));
    }
}
