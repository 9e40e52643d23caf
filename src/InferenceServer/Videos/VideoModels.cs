using InferenceServer.Hosting;

namespace InferenceServer.Videos;

/// <summary>The loaded video models by served name (id and aliases). Filled once at start.</summary>
public sealed class VideoModels() : NamedModelSet<ServedVideoModel>("Video")
{
    /// <summary>Adds the model under its id and its configured aliases.</summary>
    public void Add(ServedVideoModel model) => Add(model, [model.Id, .. model.Options.Aliases]);

    protected override string IdOf(ServedVideoModel model) => model.Id;

    protected override void Release(ServedVideoModel model) => model.Pipeline.Dispose();
}
