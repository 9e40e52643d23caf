namespace InferenceServer.Contracts;

/// <summary>OpenAI's <c>ImagesResponse</c>, for all three image endpoints.</summary>
public sealed class ImagesResponse
{
    public required long Created { get; init; }

    public required IReadOnlyList<ImageDataDto> Data { get; init; }

    public required string Background { get; init; }

    public required string OutputFormat { get; init; }

    public required string Quality { get; init; }

    public required string Size { get; init; }

    public required ImageUsageDto Usage { get; init; }
}
