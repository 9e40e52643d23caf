namespace InferenceServer.Contracts;

/// <summary><c>{object: "list", data: [...], model, usage}</c>.</summary>
public sealed class EmbeddingResponse
{
    public string Object { get; init; } = "list";

    public required List<EmbeddingItem> Data { get; init; }

    public required string Model { get; init; }

    public required EmbeddingUsage Usage { get; init; }
}
