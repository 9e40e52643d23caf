using InferenceServer.Hosting;

namespace InferenceServer.Images;

/// <summary>The loaded image models by served name (id and aliases). Filled once at start, read by every image request.</summary>
public sealed class ImageModels() : NamedModelSet<ServedImageModel>("Image")
{
    protected override string IdOf(ServedImageModel model) => model.Id;

    protected override void Release(ServedImageModel model) => model.Pipeline.Dispose();
}
