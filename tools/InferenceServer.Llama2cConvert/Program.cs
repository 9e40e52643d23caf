using System.Globalization;
using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Llama2c;

namespace InferenceServer.Llama2cConvert;

/// <summary>Converts a llama2.c checkpoint and tokenizer into an ONNX Runtime GenAI folder the server (and GenAI) load.</summary>
internal static class Program
{
    private const string Usage =
        "usage: dotnet run --project tools/InferenceServer.Llama2cConvert -- CHECKPOINT.bin TOKENIZER.bin OUTPUT_FOLDER [--int4]";

    public static int Main(string[] args)
    {
        string[] paths = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        string[] flags = [.. args.Where(a => a.StartsWith("--", StringComparison.Ordinal))];
        if (paths.Length != 3 || flags.Any(f => f != "--int4"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        try
        {
            DecoderSpec spec = Llama2cConverter.Convert(paths[0], paths[1], paths[2], int4Weights: flags.Contains("--int4"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {Path.GetFullPath(paths[2])}: llama, {spec.NumLayers} layers, hidden {spec.HiddenSize}, {spec.NumHeads} heads over {spec.NumKvHeads} KV heads of {spec.HeadSize} (graph), vocab {spec.VocabSize}, context {spec.ContextLength}{(spec.Int4Weights ? ", int4 MatMulNBits" : string.Empty)}"));
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"convert failed: {e.Message}");
            return 1;
        }
    }
}
