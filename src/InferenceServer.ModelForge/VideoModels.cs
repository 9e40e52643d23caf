using InferenceServer.ModelForge.Video;

namespace InferenceServer.ModelForge;

/// <summary>The forge's text- and image-to-video pipelines, written into a cache folder on first use (see <see cref="ForgeVideoWriter"/>).</summary>
public static class VideoModels
{
    /// <summary>Bump when the written bytes change, so cached folders are rewritten.</summary>
    public const string Version = "v3";

    public static string EnsureForge(string cacheRoot) => Ensure(cacheRoot, imageToVideo: false);

    /// <summary>The Wan 2.1 I2V-layout forge pipeline (image encoder, VAE encoder, a conditioned transformer).</summary>
    public static string EnsureForgeImageToVideo(string cacheRoot) => Ensure(cacheRoot, imageToVideo: true);

    private static string Ensure(string cacheRoot, bool imageToVideo)
    {
        var folder = Path.Combine(Path.GetFullPath(cacheRoot), $"forge-video{(imageToVideo ? "-i2v" : string.Empty)}-{Version}");
        if (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            return folder;
        }

        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        ForgeVideoWriter.Write(staging, imageToVideo: imageToVideo);
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
