using InferenceServer.Engine.Videos;

namespace InferenceServer.Videos;

/// <summary>A loaded video pipeline with its configured defaults and sizes.</summary>
public sealed record ServedVideoModel(string Id, VideoPipeline Pipeline, VideoModelOptions Options);
