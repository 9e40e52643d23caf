using InferenceServer.Engine.Embeddings;

namespace InferenceServer.Embeddings;

/// <summary>A validated embeddings request: the model, each input as the ids the model reads, and how to answer.</summary>
internal sealed record PreparedEmbedding(string Name, EmbeddingModel Model, IReadOnlyList<int[]> Sequences, bool Base64, int Dimensions, int Tokens);
