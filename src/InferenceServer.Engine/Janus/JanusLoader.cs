using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// Opens the understanding graphs of a Janus-Pro ONNX folder: <c>onnx/language_model.onnx</c> (the decoder, ending at
/// hidden states), <c>onnx/lm_head.onnx</c> (its <see cref="LogitsHead"/>) and <c>onnx/prepare_inputs_embeds.onnx</c>
/// (the decoder's <see cref="TokenInput"/> and the model's image encoder). A graph of another variant is picked by
/// <see cref="ModelOptions.OnnxVariant"/> (<c>q4</c> reads <c>language_model_q4.onnx</c>, as transformers.js names them).
/// The image generation graphs (<c>gen_head</c>, <c>gen_img_embeds</c>, <c>image_decode</c>) are opened after the
/// model is made, by <see cref="JanusGenerationLoader"/>.
/// </summary>
internal static class JanusLoader
{
    public const string LanguageModel = "language_model";

    public const string LmHead = "lm_head";

    public const string PrepareInputsEmbeds = "prepare_inputs_embeds";

    /// <summary>The decoder's session and graph, its token input and the image encoder; the caller owns them all.</summary>
    public static (InferenceSession Session, DecoderGraph Graph, JanusEmbeddingInput Input, JanusEncoder Encoder) Load(
        ModelOptions options, string folder, BpeTokenizer tokenizer, SessionFactory sessions)
    {
        var id = options.Id;
        var config = JanusConfig.Load(folder);
        var start = SingleToken(id, tokenizer, config.ImageStartTag);
        var end = SingleToken(id, tokenizer, config.ImageEndTag);
        var languagePath = GraphPath(id, folder, LanguageModel, options.OnnxVariant);
        var headPath = GraphPath(id, folder, LmHead, options.OnnxVariant);
        var embedPath = GraphPath(id, folder, PrepareInputsEmbeds, options.OnnxVariant);
        var opened = new List<IDisposable>();
        try
        {
            // All three run on the scheduler's thread at each step (spinning pays, as for a text decoder);
            // prepare_inputs_embeds also encodes images on the requests' threads.
            var session = Open(id, languagePath, sessions, opened);
            var head = new LogitsHead(Open(id, headPath, sessions, opened), headPath);
            var embedding = Open(id, embedPath, sessions, opened);
            RequireEmbeddingGraph(id, embedding, embedPath);
            var made = embedding.OutputMetadata[JanusGraphNames.InputsEmbeds].ElementDataType;
            var read = session.InputMetadata.TryGetValue(JanusGraphNames.InputsEmbeds, out var wanted) ? wanted.ElementDataType : made;
            if (made != read)
            {
                throw new ModelLoadException($"Model '{id}': '{embedPath}' writes {made} inputs_embeds but '{languagePath}' reads {read}: take all graphs from one variant.");
            }

            var graph = new DecoderGraph(session, config.DecoderConfig(Path.GetRelativePath(folder, languagePath), head.InputName), JanusGraphNames.InputsEmbeds, head);
            if (graph.OutputType != TensorElementType.Float && graph.OutputType != TensorElementType.Float16)
            {
                throw new ModelLoadException($"Model '{id}': '{languagePath}' outputs {graph.OutputType} hidden states; only float32 and float16 are supported.");
            }

            var input = new JanusEmbeddingInput(embedding, config, JanusGraphNames.InputsEmbeds);
            return (session, graph, input, new JanusEncoder(embedding, config, tokenizer, start, end, id));
        }
        catch
        {
            opened.ForEach(o => o.Dispose());
            throw;
        }
    }

    /// <summary>Where a graph of the variant lies: <c>onnx/{graph}[_{variant}].onnx</c>, as transformers.js names them.</summary>
    public static string FileOf(string folder, string graph, string? variant) =>
        Path.Combine(folder, "onnx", variant is { Length: > 0 } ? $"{graph}_{variant}.onnx" : $"{graph}.onnx");

    /// <summary>The path of <c>onnx/{graph}[_{variant}].onnx</c>; a missing graph fails with a sentence naming the file.</summary>
    private static string GraphPath(string id, string folder, string graph, string? variant)
    {
        var path = FileOf(folder, graph, variant);
        var file = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Model '{id}': the Janus folder '{folder}' has no onnx/{file} (a Janus-Pro export needs onnx/{LanguageModel}, onnx/{LmHead} and onnx/{PrepareInputsEmbeds}{(variant is { Length: > 0 } ? $", variant '{variant}'" : string.Empty)}).");
        }

        return path;
    }

    /// <summary>Opens a graph into <paramref name="opened"/>; a graph ONNX Runtime cannot load fails naming it.</summary>
    /// <param name="spinning">Whether its workers spin by default: the graphs run each scheduler step do, the drawing graphs do not.</param>
    public static InferenceSession Open(string id, string path, SessionFactory sessions, List<IDisposable> opened, bool spinning = true)
    {
        using var options = sessions.CreateOptions(spinningByDefault: spinning);
        try
        {
            var session = sessions.Open(path, options);
            opened.Add(session);
            return session;
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"Model '{id}': ONNX Runtime cannot load '{path}': {e.Message}", e);
        }
    }

    private static void RequireEmbeddingGraph(string id, InferenceSession session, string path)
    {
        foreach (var input in JanusGraphNames.Inputs)
        {
            if (!session.InputMetadata.ContainsKey(input))
            {
                throw new ModelLoadException($"Model '{id}': '{path}' has no input '{input}' (it has: {string.Join(", ", session.InputMetadata.Keys)}).");
            }
        }

        if (!session.OutputMetadata.TryGetValue(JanusGraphNames.InputsEmbeds, out var output))
        {
            throw new ModelLoadException($"Model '{id}': '{path}' has no output '{JanusGraphNames.InputsEmbeds}' (it has: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        if (!FloatTensors.IsFloat(output.ElementDataType) || !FloatTensors.IsFloat(session.InputMetadata[JanusGraphNames.PixelValues].ElementDataType))
        {
            throw new ModelLoadException($"Model '{id}': '{path}' writes {output.ElementDataType} inputs_embeds from {session.InputMetadata[JanusGraphNames.PixelValues].ElementDataType} pixel_values; float32 or float16 are supported.");
        }
    }

    private static int SingleToken(string id, BpeTokenizer tokenizer, string tag)
    {
        var ids = tokenizer.Encode(tag);
        return ids.Length == 1 ? ids[0] : throw new ModelLoadException($"Model '{id}': the tokenizer does not hold Janus's image tag '{tag}' as one token.");
    }
}
