using Google.Protobuf;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Demo;
using InferenceServer.ModelForge.Tokenizer;

namespace InferenceServer.ModelForge.Vision;

/// <summary>
/// Writes the forge vision-language model as an ONNX Runtime GenAI phi3v folder (<c>vision.onnx</c>,
/// <c>embedding.onnx</c>, <c>text.onnx</c>, <c>genai_config.json</c>, <c>processor_config.json</c>, tokenizer files).
/// It answers like the scripted demo model, and about a picture with <see cref="VisionScripts.Answer"/> of its
/// dominant colour: the vision graph turns the image into rows of that colour's trigger-word embedding.
/// </summary>
public static class Phi3VisionModels
{
    /// <summary>Bump when the written bytes change, so cached folders are rewritten.</summary>
    public const string Version = "v1";

    public const string TextFileName = "text.onnx";

    public const string EmbeddingFileName = "embedding.onnx";

    public const string VisionFileName = "vision.onnx";

    /// <summary>The folder under <paramref name="cacheRoot"/>, written on first use.</summary>
    public static string EnsureScripted(string cacheRoot) => DemoModels.Ensure(cacheRoot, $"phi3v-scripted-{Version}", Write);

    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var words = ForgeScripts.WholeWords.Concat(VisionScripts.WholeWords).Distinct().ToList();
        var vocabulary = ForgeTokenizerWriter.Write(folder, words, ForgeChatTemplate.Text);
        var tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var triggers = VisionScripts.TriggerIds(tokenizer);
        var table = VisionScripts.Table(tokenizer, vocabulary, triggers);

        // Room for two HD images (up to 2,509 tokens each) and a conversation.
        var spec = DecoderSpec.Demo(vocabulary.VocabSize, vocabulary.BosId, vocabulary.EosId, vocabulary.PadId) with
        {
            ContextLength = 8192,
            InputsEmbeds = true,
        };
        spec.Validate();
        var weights = ScriptedDecoderWeights.Create(spec, table);
        int hidden = spec.HiddenSize;
        var colours = VisionScripts.TriggerRows(weights.Embedding, triggers, hidden);

        File.WriteAllBytes(Path.Combine(folder, TextFileName), DecoderGraph.Build(spec, weights).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, EmbeddingFileName), Phi3VisionGraphs.Embedding(weights.Embedding, spec.VocabSize, hidden).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, VisionFileName), Phi3VisionGraphs.Vision(colours, hidden).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, DecoderModelWriter.ConfigFileName), Phi3VisionConfigWriter.GenAiConfig(spec));
        File.WriteAllBytes(Path.Combine(folder, "processor_config.json"), Phi3VisionConfigWriter.ProcessorConfig());
    }
}
