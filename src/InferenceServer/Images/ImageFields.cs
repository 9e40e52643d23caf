namespace InferenceServer.Images;

/// <summary>The request fields the three image endpoints share, whatever the body encoding.</summary>
public sealed record ImageFields
{
    public string? Prompt { get; init; }

    public string? Model { get; init; }

    public int? N { get; init; }

    public string? Size { get; init; }

    public string? ResponseFormat { get; init; }

    public string? OutputFormat { get; init; }

    public int? OutputCompression { get; init; }

    public string? Quality { get; init; }

    public string? Background { get; init; }

    public bool? Stream { get; init; }

    public long? Seed { get; init; }

    public string? NegativePrompt { get; init; }

    public int? Steps { get; init; }

    public float? GuidanceScale { get; init; }

    public string? Scheduler { get; init; }

    public float? Strength { get; init; }
}
