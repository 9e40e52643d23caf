using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// Opens the vision and embedding graphs of a GenAI phi3v folder beside its text graph: the embedding graph becomes the
/// decoder's <see cref="TokenInput"/>, the vision graph the model's <see cref="VisionEncoder"/>.
/// </summary>
internal static class Phi3VisionLoader
{
    public static (EmbeddingInput Input, Phi3VisionEncoder Encoder, Phi3VisionConfig Config) Load(string id, string folder, BpeTokenizer tokenizer, SessionFactory sessions)
    {
        var config = Phi3VisionConfig.Load(folder);
        if (!File.Exists(Path.Combine(folder, "processor_config.json")))
        {
            throw new ModelLoadException($"Model '{id}': the phi3v folder '{folder}' has no processor_config.json.");
        }

        // The embedding graph runs on the scheduler's thread before each decoder run (spinning pays, as for the decoder);
        // the vision graph on its own thread, in runs shared across requests (VisionBatcher).
        var embedding = Open(id, folder, config.EmbeddingFile, sessions, spinning: true);
        InferenceSession vision;
        try
        {
            RequireFloat(id, embedding, config.ImageFeaturesIn, "embedding");
            vision = Open(id, folder, config.VisionFile, sessions, spinning: false);
        }
        catch
        {
            embedding.Dispose();
            throw;
        }

        return (new EmbeddingInput(embedding, config), new Phi3VisionEncoder(vision, config, tokenizer, id), config);
    }

    private static InferenceSession Open(string id, string folder, string file, SessionFactory sessions, bool spinning)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Model '{id}': '{path}' does not exist (genai_config.json names it).");
        }

        using var options = sessions.CreateOptions(spinningByDefault: spinning);
        try
        {
            return sessions.Open(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"Model '{id}': ONNX Runtime cannot load '{path}': {e.Message}", e);
        }
    }

    private static void RequireFloat(string id, InferenceSession session, string input, string graph)
    {
        if (!session.InputMetadata.TryGetValue(input, out var meta))
        {
            throw new ModelLoadException($"Model '{id}': the {graph} graph has no input '{input}' (it has: {string.Join(", ", session.InputMetadata.Keys)}).");
        }

        if (!FloatTensors.IsFloat(meta.ElementDataType))
        {
            throw new ModelLoadException($"Model '{id}': the {graph} graph's '{input}' is {meta.ElementDataType}; image features are passed as float32 or float16.");
        }
    }
}
