using Google.Protobuf;

namespace InferenceServer.ModelForge.Decoder;

/// <summary>Writes a forge decoder as an ONNX Runtime GenAI model folder (<c>model.onnx</c> + <c>genai_config.json</c>).</summary>
public static class DecoderModelWriter
{
    /// <summary>File name of the decoder graph inside the folder.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>File name of the GenAI configuration inside the folder.</summary>
    public const string ConfigFileName = "genai_config.json";

    /// <summary>Writes both files; the same spec and weights always give the same bytes.</summary>
    public static void Write(string folder, DecoderSpec spec, DecoderWeights weights)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        if (!SameShape(weights.Spec, spec))
        {
            throw new ArgumentException("The weights were created for a differently shaped spec.", nameof(weights));
        }

        spec.Validate();
        Directory.CreateDirectory(folder);
        var model = DecoderGraph.Build(spec, weights);
        File.WriteAllBytes(Path.Combine(folder, ModelFileName), model.ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, ConfigFileName), GenAiConfigWriter.Create(spec, ModelFileName));
    }

    // Same tensor shapes: the weights may be written under a spec that differs only in flags (rotary form, int4) or ids.
    private static bool SameShape(DecoderSpec a, DecoderSpec b) =>
        a.VocabSize == b.VocabSize && a.HiddenSize == b.HiddenSize && a.NumHeads == b.NumHeads && a.NumKvHeads == b.NumKvHeads
        && a.HeadSize == b.HeadSize && a.NumLayers == b.NumLayers && a.IntermediateSize == b.IntermediateSize;
}
