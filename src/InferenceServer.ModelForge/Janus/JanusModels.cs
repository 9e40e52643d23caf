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
/// <see cref="VisionScripts.Answer"/> of its dominant colour, as the forge phi3v folder does. It also draws, through the
/// export's generation graphs <c>onnx/gen_img_embeds.onnx</c>, <c>onnx/gen_head.onnx</c> and
/// <c>onnx/image_decode.onnx</c> (<see cref="JanusGenerationGraphs"/>: 576 palette patches, a picture per seed).
/// </summary>
public static class JanusModels
{
    /// <summary>Bump when the written bytes change, so cached folders are rewritten.</summary>
    public const string Version = "v3";

    public const string PrepareInputsEmbedsFile = "onnx/prepare_inputs_embeds.onnx";

    public const string LanguageModelFile = "onnx/language_model.onnx";

    public const string LmHeadFile = "onnx/lm_head.onnx";

    public const string GenImgEmbedsFile = "onnx/gen_img_embeds.onnx";

    public const string GenHeadFile = "onnx/gen_head.onnx";

    public const string ImageDecodeFile = "onnx/image_decode.onnx";

    /// <summary>The folder under <paramref name="cacheRoot"/>, written on first use.</summary>
    public static string EnsureScripted(string cacheRoot) => DemoModels.Ensure(cacheRoot, $"janus-scripted-{Version}", f => Write(f), marker: "config.json");

    /// <param name="concatKv">False writes a language model with GroupQueryAttention's in-place KV cache instead (what the GenAI model builder exports), to check the other layout.</param>
    public static void Write(string folder, bool concatKv = true)
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
            ConcatKv = concatKv,
        };
        spec.Validate();
        var weights = ScriptedDecoderWeights.Create(spec, table);
        int hidden = spec.HiddenSize;
        var colours = VisionScripts.TriggerRows(weights.Embedding, triggers, hidden);

        File.WriteAllBytes(Path.Combine(folder, LanguageModelFile), DecoderGraph.Build(spec, weights).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, LmHeadFile), DecoderGraph.BuildHead(spec, weights).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, PrepareInputsEmbedsFile),
            JanusGraphs.PrepareInputsEmbeds(weights.Embedding, colours, spec.VocabSize, hidden).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, GenImgEmbedsFile), JanusGenerationGraphs.GenImgEmbeds(GenerationEmbeddings(weights.Embedding, spec, PlainTokens(table, vocabulary)), hidden).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, GenHeadFile), JanusGenerationGraphs.GenHead(GenerationProjection(hidden), hidden).ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, ImageDecodeFile), JanusGenerationGraphs.ImageDecode().ToByteArray());
        File.WriteAllBytes(Path.Combine(folder, "config.json"), JanusConfigWriter.Config(spec));
        File.WriteAllBytes(Path.Combine(folder, "preprocessor_config.json"), JanusConfigWriter.PreprocessorConfig());
        File.WriteAllBytes(Path.Combine(folder, "processor_config.json"), JanusConfigWriter.ProcessorConfig());
        File.WriteAllBytes(Path.Combine(folder, "generation_config.json"), JanusConfigWriter.GenerationConfig(spec));
    }

    /// <summary>
    /// Text tokens that neither choose nor reset the script's mode (no trigger, reset or special token): an image
    /// token read as one of them leaves the mode the prompt chose, so a prompt with a trigger word draws otherwise than
    /// the unconditional prompt, and guidance has something to weigh.
    /// </summary>
    private static int[] PlainTokens(ScriptTable table, ForgeVocabulary vocabulary)
    {
        var taken = table.TriggerTokenIds.Concat(table.ResetTokenIds).Concat(vocabulary.SpecialTokenIds.Values)
            .Append(vocabulary.BosId).Append(vocabulary.EosId).Append(vocabulary.PadId).ToHashSet();
        return Enumerable.Range(0, vocabulary.VocabSize).Where(id => !taken.Contains(id)).Skip(32).Take(JanusGenerationGraphs.Codebook).ToArray();
    }

    /// <summary>Image token k reads as the embedding of plain text token <paramref name="plain"/>[k]: rows the scripted decoder knows.</summary>
    private static float[] GenerationEmbeddings(float[] embedding, DecoderSpec spec, int[] plain)
    {
        var table = new float[JanusGenerationGraphs.Codebook * spec.HiddenSize];
        for (var k = 0; k < JanusGenerationGraphs.Codebook; k++)
        {
            var id = plain[k];
            embedding.AsSpan(id * spec.HiddenSize, spec.HiddenSize).CopyTo(table.AsSpan(k * spec.HiddenSize));
        }

        return table;
    }

    /// <summary>A fixed Gaussian projection (standard deviation 2) from the unit hidden state to the codebook.</summary>
    private static float[] GenerationProjection(int hidden)
    {
        var random = new Random(20240127);
        var weights = new float[hidden * JanusGenerationGraphs.Codebook];
        for (var i = 0; i < weights.Length; i++)
        {
            var u = 1 - random.NextDouble();
            var v = random.NextDouble();
            weights[i] = (float)(2 * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }

        return weights;
    }
}
