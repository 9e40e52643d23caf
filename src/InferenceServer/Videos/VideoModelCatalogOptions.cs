namespace InferenceServer.Videos;

/// <summary>The configured video models (configuration key <c>VideoModels</c>, a list). Empty: the forge pipeline is served.</summary>
public sealed class VideoModelCatalogOptions
{
    public List<VideoModelOptions> VideoModels { get; set; } = [];
}
