namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// What came back on the socket: <see cref="Status"/> 0 when the server closed without answering, and
/// <see cref="TimedOut"/> when nothing complete arrived within the hang cap.
/// </summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, bool TimedOut)
{
    public static RawResponse Hang { get; } = new(0, new Dictionary<string, string>(), [], TimedOut: true);

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
