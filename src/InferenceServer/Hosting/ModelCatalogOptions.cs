using InferenceServer.Engine.Models;

namespace InferenceServer.Hosting;

/// <summary>The configured models (configuration key <c>Models</c>, a list). Empty: the built-in demo models are served.</summary>
public sealed class ModelCatalogOptions
{
    public List<ModelOptions> Models { get; set; } = [];
}
