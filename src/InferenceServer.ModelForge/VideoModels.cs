using InferenceServer.ModelForge.Video;

namespace InferenceServer.ModelForge;

/// <summary>The forge's text- and image-to-video pipelines, written into a cache folder on first use (see <see cref="ForgeVideoWriter"/>).</summary>
public static class VideoModels
{
    /// <summary>Bump when the written bytes change, so cached folders are rewritten.</summary>
    public const string Version = "v3";

    public static string EnsureForge(string cacheRoot) => Ensure(cacheRoot, "forge-video", imageToVideo: false, benchHidden: 0);

    /// <summary>The Wan 2.1 I2V-layout forge pipeline (image encoder, VAE encoder, a conditioned transformer).</summary>
    public static string EnsureForgeImageToVideo(string cacheRoot) => Ensure(cacheRoot, "forge-video-i2v", imageToVideo: true, benchHidden: 0);

    /// <summary>The benchmark's T2V pipeline: the transformer runs through <paramref name="hidden"/> channels and dominates a video.</summary>
    public static string EnsureForgeBench(string cacheRoot, int hidden) => Ensure(cacheRoot, $"forge-video-bench{hidden}", imageToVideo: false, benchHidden: hidden);

    private static string Ensure(string cacheRoot, string name, bool imageToVideo, int benchHidden)
    {
        var folder = Path.Combine(Path.GetFullPath(cacheRoot), $"{name}-{Version}");
        if (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            return folder;
        }

        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        ForgeVideoWriter.Write(staging, imageToVideo: imageToVideo, benchHidden: benchHidden);
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
