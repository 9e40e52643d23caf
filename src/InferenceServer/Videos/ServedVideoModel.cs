using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Videos;

namespace InferenceServer.Videos;

/// <summary>A loaded video pipeline with its configured defaults and sizes, when it loaded and where it runs.</summary>
public sealed record ServedVideoModel(string Id, VideoPipeline Pipeline, VideoModelOptions Options, DateTimeOffset LoadedAt, SessionPlan Plan);
