using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;

namespace InferenceServer.Images;

/// <summary>A loaded image pipeline with its configured defaults and sizes.</summary>
public sealed record ServedImageModel(string Id, IImagePipeline Pipeline, ImageModelOptions Options, IReadOnlyList<ImageSize> Sizes, DateTimeOffset LoadedAt, SessionPlan Plan);
