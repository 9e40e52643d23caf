namespace InferenceServer.Contracts;

/// <summary>Token counts by kind.</summary>
public sealed class ImageTokenDetails
{
    public required int TextTokens { get; init; }

    public required int ImageTokens { get; init; }
}
