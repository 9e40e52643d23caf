using System.Text.Json;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// Opens the image generation graphs of a Janus-Pro ONNX folder, <c>onnx/gen_img_embeds.onnx</c>,
/// <c>onnx/gen_head.onnx</c> and <c>onnx/image_decode.onnx</c> (the variant's, as <see cref="JanusLoader"/> picks
/// them), into a <see cref="JanusImageGenerator"/> over the chat model's language model session. A folder without
/// any of them does not draw; one with only some of them fails to load, naming what is missing.
/// </summary>
internal static class JanusGenerationLoader
{
    public static readonly string[] Graphs = ["gen_img_embeds", "gen_head", "image_decode"];

    public static JanusImageGenerator? Load(ModelOptions options, string folder, BpeTokenizer tokenizer, SessionFactory sessions,
        InferenceSession language, JanusEmbeddingInput text, bool concatKv)
    {
        var id = options.Id;
        var paths = Graphs.Select(g => JanusLoader.FileOf(folder, g, options.OnnxVariant)).ToArray();
        var present = paths.Where(File.Exists).ToList();
        if (present.Count == 0)
        {
            return null;
        }

        if (present.Count < paths.Length)
        {
            throw new ModelLoadException($"Model '{id}': the Janus folder '{folder}' has {string.Join(", ", present.Select(p => Path.GetRelativePath(folder, p)))} " +
                $"but not {string.Join(", ", paths.Except(present).Select(p => Path.GetRelativePath(folder, p)))}: image generation needs all three (or none).");
        }

        var config = JanusConfig.Load(folder);
        var opened = new List<IDisposable>();
        try
        {
            var embeds = JanusLoader.Open(id, paths[0], sessions, opened, spinning: false);
            var headSession = JanusLoader.Open(id, paths[1], sessions, opened, spinning: false);
            var head = new LogitsHead(headSession, paths[1]);
            var decode = JanusLoader.Open(id, paths[2], sessions, opened, spinning: false);
            Require(id, paths[0], embeds, JanusGenerationInput.ImageIds, JanusGraphNames.InputsEmbeds);
            Require(id, paths[2], decode, "generated_tokens", "decoded_image");
            if (embeds.OutputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType != language.InputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType)
            {
                throw new ModelLoadException($"Model '{id}': '{paths[0]}' writes {embeds.OutputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType} inputs_embeds " +
                    $"but the language model reads {language.InputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType}: take all graphs from one variant.");
            }
            var codebook = Codebook(id, folder, paths[1], headSession);
            var decoderConfig = config.DecoderConfig(Path.GetRelativePath(folder, Path.Combine(folder, "onnx", "language_model.onnx")), head.InputName) with { VocabSize = codebook };
            var graph = new DecoderGraph(language, decoderConfig, JanusGraphNames.InputsEmbeds, head);
            var input = new JanusGenerationInput(new JanusEmbeddingInput(text.Session, config, JanusGraphNames.InputsEmbeds, ownsSession: false), embeds);
            var size = decode.OutputMetadata["decoded_image"].Dimensions is { Length: 4 } d && d[2] > 0 ? d[2] : config.ImageSize;
            return new JanusImageGenerator(language, graph, input, decode, tokenizer, config, concatKv, size);
        }
        catch
        {
            opened.ForEach(o => o.Dispose());
            throw;
        }
    }

    private static void Require(string id, string path, InferenceSession session, string input, string output)
    {
        if (!session.InputMetadata.ContainsKey(input) || !session.OutputMetadata.TryGetValue(output, out var meta))
        {
            throw new ModelLoadException($"Model '{id}': '{path}' must read '{input}' and write '{output}' (it reads {string.Join(", ", session.InputMetadata.Keys)}; writes {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        if (!FloatTensors.IsFloat(meta.ElementDataType))
        {
            throw new ModelLoadException($"Model '{id}': '{path}' writes {meta.ElementDataType} '{output}'; float32 or float16 are supported.");
        }
    }

    /// <summary>The codebook size: gen_head's last logits dimension, else config.json's <c>gen_vision_config.params.image_token_size</c>.</summary>
    private static int Codebook(string id, string folder, string headPath, InferenceSession session)
    {
        var logits = session.OutputMetadata.TryGetValue("logits", out var named) ? named : session.OutputMetadata.Values.First();
        if (logits.Dimensions is { Length: > 0 } dims && dims[^1] > 0)
        {
            return dims[^1];
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "config.json")));
        if (doc.RootElement.TryGetProperty("gen_vision_config", out var gen) && gen.TryGetProperty("params", out var p)
            && p.TryGetProperty("image_token_size", out var size) && size.TryGetInt32(out var n) && n > 0)
        {
            return n;
        }

        throw new ModelLoadException($"Model '{id}': '{headPath}' has no fixed logits width and config.json has no gen_vision_config.params.image_token_size.");
    }
}
