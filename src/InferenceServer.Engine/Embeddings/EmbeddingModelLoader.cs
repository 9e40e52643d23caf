using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization.WordPiece;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Embeddings;

/// <summary>Loads a sentence-transformers ONNX folder into an <see cref="EmbeddingModel"/>; failures name the file.</summary>
public static class EmbeddingModelLoader
{
    public static EmbeddingModel Load(ModelOptions options, SessionFactory sessions)
    {
        var folder = Path.GetFullPath(options.Path);
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException($"Model '{options.Id}': folder '{folder}' does not exist.");
        }

        var layout = EmbeddingFolder.Read(options.Id, folder);
        var tokenizer = WordPieceTokenizer.Load(folder);
        InferenceSession session;
        using (var sessionOptions = sessions.CreateOptions())
        {
            try
            {
                session = sessions.Open(layout.ModelPath, sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelLoadException($"Model '{options.Id}': ONNX Runtime cannot load '{layout.ModelPath}': {e.Message}", e);
            }
        }

        try
        {
            var encoder = new EmbeddingSession(session, layout.ModelPath, layout.HiddenSize);
            var maxTokens = Math.Min(layout.MaxTokens, options.MaxContextLength);
            return new EmbeddingModel(options.Id, folder, tokenizer, encoder, layout.Pooling, sessions.Plan, maxTokens,
                options.BatchSize, options.MaxConcurrentBatches, options.MaxQueuedRequests);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
