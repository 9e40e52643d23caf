namespace InferenceServer.Contracts;

public sealed class ModelList
{
    public string Object { get; init; } = "list";

    public required List<ModelCard> Data { get; init; }
}
