using System.Text.Json;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// Opens the image generation graphs of a Janus-Pro ONNX folder, <c>onnx/gen_img_embeds.onnx</c>,
/// <c>onnx/gen_head.onnx</c> and <c>onnx/image_decode.onnx</c> (the variant's, as <see cref="JanusLoader"/> picks
/// them): the first two become the chat decoder's <see cref="ImageVocabulary"/>, so the model's scheduler draws, and
/// <see cref="JanusImageGenerator"/> serves the drawings. A folder without any of them does not draw; one with only
/// some of them fails to load, naming what is missing. A model whose rows cannot hold a drawing's pair chats but does not
/// draw, and says why (<see cref="TextModel.ImageGenerationUnavailable"/>).
/// </summary>
internal static class JanusGenerationLoader
{
    public static readonly string[] Graphs = ["gen_img_embeds", "gen_head", "image_decode"];

    /// <summary>The longest prompt Janus's generation reads (<c>generation_inference.py</c> pads to it).</summary>
    public const int MaxPromptTokens = 512;

    /// <summary>The fewest prompt tokens worth serving a drawing with (the SFT frame alone takes about a dozen).</summary>
    private const int MinPromptTokens = 32;

    public static JanusImageGenerator? Load(ModelOptions options, string folder, BpeTokenizer tokenizer, SessionFactory sessions, TextModel model)
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
        var room = Math.Min(MaxPromptTokens, model.DrawingPromptRoom(config.ImageTokens));
        if (room < MinPromptTokens)
        {
            // The model still chats; the operator is told why it does not draw.
            model.ImageGenerationUnavailable = $"a drawing takes two rows (the prompt and its unconditional twin) of prompt + {config.ImageTokens} image positions, " +
                $"which MaxConcurrentSequences {model.Decoder.MaxRows}, a {model.ContextLength}-token context and a KV budget of {model.Decoder.Kv.TotalTokens} positions do not hold: " +
                $"allow at least 2 sequences and {2 * (config.ImageTokens + MinPromptTokens)} positions";
            return null;
        }

        var language = model.Decoder.Session;
        var opened = new List<IDisposable>();
        try
        {
            var embeds = JanusLoader.Open(id, paths[0], sessions, opened);
            var headSession = JanusLoader.Open(id, paths[1], sessions, opened);
            var head = new LogitsHead(headSession, paths[1]);
            var decode = JanusLoader.Open(id, paths[2], sessions, opened, spinning: false);
            Require(id, paths[0], embeds, ImageVocabulary.ImageIds, JanusGraphNames.InputsEmbeds);
            Require(id, paths[2], decode, "generated_tokens", "decoded_image");
            if (embeds.OutputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType != language.InputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType)
            {
                throw new ModelLoadException($"Model '{id}': '{paths[0]}' writes {embeds.OutputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType} inputs_embeds " +
                    $"but the language model reads {language.InputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType}: take all graphs from one variant.");
            }

            var codebook = Codebook(id, folder, paths[1], headSession);
            if (codebook > model.Decoder.VocabSize)
            {
                throw new ModelLoadException($"Model '{id}': '{paths[1]}' writes {codebook} image logits, more than the text vocabulary's {model.Decoder.VocabSize}.");
            }

            var size = decode.OutputMetadata["decoded_image"].Dimensions is { Length: 4 } d && d[2] > 0 ? d[2] : config.ImageSize;
            model.Decoder.UseImages(new ImageVocabulary(embeds, head, JanusGraphNames.InputsEmbeds, codebook));
            opened.Remove(embeds);
            opened.Remove(headSession);
            return new JanusImageGenerator(model, decode, tokenizer, config, codebook, size, room);
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
