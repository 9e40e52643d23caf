namespace InferenceServer.Contracts;

public sealed class ModelCapabilities
{
    public required bool Thinking { get; init; }

    /// <summary>Whether this name thinks when the request does not say.</summary>
    public required bool ThinkingByDefault { get; init; }

    public required bool Streaming { get; init; }

    public required bool Tools { get; init; }

    public required bool JsonOutput { get; init; }

    public required bool Fim { get; init; }
}
