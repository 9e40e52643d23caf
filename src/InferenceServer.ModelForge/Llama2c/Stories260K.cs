using System.Reflection;

namespace InferenceServer.ModelForge.Llama2c;

/// <summary>
/// The llama2.c <c>stories260K</c> model (Karpathy's tinyllamas, MIT; see <c>Llama2c/Stories260K/LICENSE.md</c>):
/// real trained weights (260K parameters, 5 layers, GQA 8/4 heads of 8) embedded in this assembly and converted into
/// an ONNX Runtime GenAI folder on first use. It continues text with simple English stories; it is not a chat model.
/// </summary>
public static class Stories260K
{
    /// <summary>The name the demo serves it under.</summary>
    public const string ServedName = "stories-260k";

    /// <summary>Bump when the converted bytes change, so cached folders are rewritten.</summary>
    public const string Version = "v1";

    private const string CheckpointResource = "InferenceServer.ModelForge.Llama2c.Stories260K.stories260K.bin";
    private const string TokenizerResource = "InferenceServer.ModelForge.Llama2c.Stories260K.tok512.bin";

    /// <summary>The llama2.c checkpoint's bytes.</summary>
    public static byte[] Checkpoint() => Resource(CheckpointResource);

    /// <summary>The llama2.c tokenizer's bytes (<c>tok512.bin</c>).</summary>
    public static byte[] Tokenizer() => Resource(TokenizerResource);

    /// <summary>The converted folder (fp32, or int4 MatMulNBits weights) under <paramref name="cacheRoot"/>, written on first use.</summary>
    public static string Ensure(string cacheRoot, bool int4Weights = false) =>
        DemoModels.Ensure(cacheRoot, $"stories260k{(int4Weights ? "-int4" : string.Empty)}-{Version}",
            folder => Llama2cConverter.Convert(Checkpoint(), Tokenizer(), folder, int4Weights));

    private static byte[] Resource(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource '{name}' is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var copy = new MemoryStream((int)stream.Length);
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
