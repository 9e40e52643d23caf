namespace InferenceServer.Contracts.Files;

/// <summary>A page of files (<c>GET /files</c>), with cursor fields for <c>after</c>.</summary>
public sealed class FileList
{
    public string Object { get; init; } = "list";

    public required IReadOnlyList<FileObject> Data { get; init; }

    /// <summary>The first id on this page; absent when the page is empty.</summary>
    public string? FirstId { get; init; }

    /// <summary>The last id on this page: pass it as <c>after</c> for the next page.</summary>
    public string? LastId { get; init; }

    public required bool HasMore { get; init; }
}
