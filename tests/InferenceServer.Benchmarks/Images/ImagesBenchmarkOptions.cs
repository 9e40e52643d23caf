using System.Globalization;

namespace InferenceServer.Benchmarks.Images;

/// <summary>Command-line options of the <c>images</c> scenario.</summary>
internal sealed record ImagesBenchmarkOptions(string? ModelPath, string Size, int Steps, float Guidance, int Images)
{
    public int Width => int.Parse(Size.Split('x')[0], CultureInfo.InvariantCulture);

    public int Height => int.Parse(Size.Split('x')[1], CultureInfo.InvariantCulture);

    public static ImagesBenchmarkOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        return new ImagesBenchmarkOptions(
            Value("--model-path"),
            Value("--size") ?? "256x256",
            int.Parse(Value("--steps") ?? "4", CultureInfo.InvariantCulture),
            float.Parse(Value("--guidance") ?? "3", CultureInfo.InvariantCulture),
            int.Parse(Value("--images") ?? "20", CultureInfo.InvariantCulture));
    }
}
