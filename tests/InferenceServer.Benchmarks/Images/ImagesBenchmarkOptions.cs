using System.Globalization;

namespace InferenceServer.Benchmarks.Images;

/// <summary>Command-line options of the <c>images</c> scenario.</summary>
/// <param name="Pipeline"><c>bench</c> (default): the forge pipeline with a UNet whose convolutions dominate an image, as a
/// real model's do; <c>demo</c>: the server's tiny built-in one, where fixed per-request costs dominate.</param>
internal sealed record ImagesBenchmarkOptions(string? ModelPath, string Pipeline, string Size, int Steps, float Guidance, int Images)
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

        var pipeline = Value("--pipeline") ?? "bench";
        if (pipeline is not ("bench" or "demo"))
        {
            throw new ArgumentException("--pipeline is bench or demo");
        }

        var demo = pipeline == "demo";
        return new ImagesBenchmarkOptions(
            Value("--model-path"),
            pipeline,
            Value("--size") ?? (demo ? "256x256" : "512x512"),
            int.Parse(Value("--steps") ?? (demo ? "4" : "10"), CultureInfo.InvariantCulture),
            float.Parse(Value("--guidance") ?? "3", CultureInfo.InvariantCulture),
            int.Parse(Value("--images") ?? (demo ? "20" : "8"), CultureInfo.InvariantCulture));
    }
}
