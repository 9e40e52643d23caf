using Google.Protobuf;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Demo;
using InferenceServer.ModelForge.Tokenizer;
using InferenceServer.ModelForge.Vision;

namespace InferenceServer.ModelForge.Janus;

/// <summary>
/// Writes the forge Janus model in the folder layout of onnx-community's Janus-Pro export: <c>config.json</c>,
/// <c>preprocessor_config.json</c>, <c>processor_config.json</c>, <c>generation_config.json</c>, tokenizer files, and
/// <c>onnx/prepare_inputs_embeds.onnx</c>, <c>onnx/language_model.onnx</c> (the decoder, ending at hidden states) and
/// <c>onnx/lm_head.onnx</c>; the language model concatenates its KV cache (present = past followed by the new
/// positions) as that export's does. It answers like the scripted demo model, and about a picture with
/// <see cref="VisionScripts.Answer"/> of its dominant colour, as the forge phi3v folder does. It has no image
/// generation graphs.
/// </summary>
public static class JanusModels
{
    /// <summary>Bump when the written bytes change, so cached folders are rewritten.</summary>
    public const string Version = "v2";

    public const string PrepareInputsEmbedsFile = "onnx/prepare_inputs_embeds.onnx";

    public const string LanguageModelFile = "onnx/language_model.onnx";

    public const string LmHeadFile = "onnx/lm_head.onnx";

    /// <summary>The folder under <paramref name="cacheRoot"/>, written on first use.</summary>
    public static string EnsureScripted(string cacheRoot) => DemoModels.Ensure(cacheRoot, $"janus-scripted-{Version}", Write, marker: "config.json");

    public static void Write(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "onnx"));
        var words = ForgeScripts.WholeWords.Concat(VisionScripts.WholeWords).Distinct().ToList();
        var vocabulary = ForgeTokenizerWriter.Write(folder, words, ForgeChatTemplate.Text,
            extraSpecialTokens: [JanusSpec.ImageTag, JanusSpec.ImageStartTag, JanusSpec.ImageEndTag]);
        var tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var triggers = VisionScripts.TriggerIds(tokenizer);
        var table = VisionScripts.Table(tokenizer, vocabulary, triggers);

        // Room for a few 576-token images and a conversation.
        var spec = DecoderSpec.Demo(vocabulary.VocabSize, vocabulary.BosId, vocabulary.EosId, vocabulary.PadId) with
        {
            ContextLength = 4096,
            InputsEmbeds = true,
            HiddenStatesOutput = true,
            // onnx-community's language_model.onnx: optimum's attention, present = past ++ new, rotary by position_ids.
            WithPositionIds = true,
            ConcatKv = true,
        };
        spec.Validate();
        var weights = ScriptedDecoderWeights.Create(spec, table);
        int hidden = spec.HiddenSize;
        var colours = VisionScripts.TriggerRows(weights.Embedding, triggers, hidden);

        File.WriteAllBytes(Path.Combine(folder, LanguageModelFile), DecoderGraph.Build(spec, weights).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, LmHeadFile), DecoderGraph.BuildHead(spec, weights).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, PrepareInputsEmbedsFile),
            JanusGraphs.PrepareInputsEmbeds(weights.Embedding, colours, spec.VocabSize, hidden).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, "config.json"), JanusConfigWriter.Config(spec));
        File.WriteAllBytes(Path.Combine(folder, "preprocessor_config.json"), JanusConfigWriter.PreprocessorConfig());
        File.WriteAllBytes(Path.Combine(folder, "processor_config.json"), JanusConfigWriter.ProcessorConfig());
        File.WriteAllBytes(Path.Combine(folder, "generation_config.json"), JanusConfigWriter.GenerationConfig(spec));
    }
}
