using InferenceServer.ModelForge.Diffusion;

namespace InferenceServer.ModelForge;

/// <summary>The forge's image pipelines, written into a cache folder on first use (see <see cref="ForgeDiffusionWriter"/>).</summary>
public static class DiffusionModels
{
    /// <summary>Bump when the written bytes change, so cached folders are rewritten.</summary>
    public const string Version = "v2";

    public static string EnsureForge(string cacheRoot, ForgeDiffusionSpec? spec = null)
    {
        spec ??= new ForgeDiffusionSpec();
        var name = $"{spec.FolderName}-{Version}";
        var folder = Path.Combine(Path.GetFullPath(cacheRoot), name);
        if (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            return folder;
        }

        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        ForgeDiffusionWriter.Write(staging, spec);
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            // Another process finished first; its folder has the same bytes.
            Directory.Delete(staging, recursive: true);
        }

        return folder;
    }
}
