namespace InferenceServer.Contracts.Files;

/// <summary>The answer to <c>DELETE /files/{file_id}</c>.</summary>
public sealed class FileDeleted
{
    public required string Id { get; init; }

    public string Object { get; init; } = "file";

    public bool Deleted { get; init; } = true;
}
