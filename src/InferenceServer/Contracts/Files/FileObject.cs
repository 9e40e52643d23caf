namespace InferenceServer.Contracts.Files;

/// <summary>An uploaded file, as DeepSeek's Files API returns it (OpenAI's file object; <c>expires_at</c> only when set).</summary>
public sealed class FileObject
{
    public required string Id { get; init; }

    public string Object { get; init; } = "file";

    /// <summary>Size in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>Unix seconds.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>Unix seconds; present only when the upload set <c>expires_after</c>.</summary>
    public long? ExpiresAt { get; init; }

    public required string Filename { get; init; }

    /// <summary><c>user_data</c>.</summary>
    public required string Purpose { get; init; }

    /// <summary>OpenAI's (deprecated) status: always <c>processed</c>, since a file is listed only once stored whole.</summary>
    public string Status { get; init; } = "processed";
}
