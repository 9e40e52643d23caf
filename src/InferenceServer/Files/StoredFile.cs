namespace InferenceServer.Files;

/// <summary>
/// One uploaded file's metadata, as its sidecar JSON holds it. <see cref="Owner"/> is the uploading API key's id
/// (empty with no keys configured); times are Unix milliseconds, so files uploaded in one second keep their order.
/// </summary>
public sealed record StoredFile(
    string Id,
    string Owner,
    string Filename,
    string Purpose,
    long Bytes,
    long CreatedAtMs,
    long? ExpiresAtMs,
    string ContentType)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAtMs is { } expires && now.ToUnixTimeMilliseconds() >= expires;
}
