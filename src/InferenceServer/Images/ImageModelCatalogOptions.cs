using InferenceServer.Engine.Images;

namespace InferenceServer.Images;

/// <summary>The configured image models (configuration key <c>ImageModels</c>, a list). Empty: the forge pipeline is served.</summary>
public sealed class ImageModelCatalogOptions
{
    public List<ImageModelOptions> ImageModels { get; set; } = [];
}
