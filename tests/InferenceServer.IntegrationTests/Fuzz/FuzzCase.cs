namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// One hostile request. <see cref="KestrelMayAnswer"/>: the bytes break HTTP itself, so Kestrel may refuse them before the
/// application runs (a 4xx with no body, or a closed connection), which the README documents.
/// </summary>
public sealed record FuzzCase(string Route, string Label, string Path, byte[] Bytes)
{
    public bool KestrelMayAnswer { get; init; }

    /// <summary>The path is odd (dot segments, doubled slashes): either envelope is right, since which route it reaches is Kestrel's call.</summary>
    public bool AnyShape { get; init; }

    /// <summary>Shut the sending side once the bytes are out (a body that ends early).</summary>
    public bool HalfClose { get; init; }

    public ErrorShape Shape => Path.StartsWith("anthropic/", StringComparison.Ordinal) || Path.StartsWith("v1/messages", StringComparison.Ordinal)
        ? ErrorShape.Anthropic
        : ErrorShape.OpenAi;

    public static FuzzCase Json(string route, string label, string path, string body) => new(route, label, path, RequestBytes.Json(path, body));
}
