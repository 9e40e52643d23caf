using InferenceServer.Engine.Images;

namespace InferenceServer.Images;

/// <summary>A loaded image pipeline with its configured defaults and sizes.</summary>
public sealed record ServedImageModel(string Id, DiffusionPipeline Pipeline, ImageModelOptions Options, IReadOnlyList<ImageSize> Sizes, DateTimeOffset LoadedAt);
