using Microsoft.Extensions.Options;

namespace InferenceServer.Vision;

/// <summary>Start-up checks of <c>Vision</c>: each failure names the key and what would be right.</summary>
internal sealed class VisionOptionsValidator : IValidateOptions<VisionOptions>
{
    public ValidateOptionsResult Validate(string? name, VisionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxImagesPerRequest < 1)
        {
            failures.Add("Vision:MaxImagesPerRequest must be 1 or more.");
        }

        if (options.MaxImageBytes < 1024)
        {
            failures.Add("Vision:MaxImageBytes must be at least 1024.");
        }

        if (options.MaxImagePixels < 64 * 64)
        {
            failures.Add("Vision:MaxImagePixels must be at least 4096.");
        }

        if (options.LowDetailSize < 16)
        {
            failures.Add("Vision:LowDetailSize must be at least 16.");
        }

        if (!double.IsFinite(options.VideoFps) || options.VideoFps <= 0 || options.VideoFps > 60)
        {
            failures.Add("Vision:VideoFps must be greater than 0 and at most 60 (frames sampled per second of a video).");
        }

        if (options.MaxVideoFrames is < 1 or > 256)
        {
            failures.Add("Vision:MaxVideoFrames must be from 1 to 256 (each frame also counts against Vision:MaxImagesPerRequest).");
        }

        if (options.MaxVideoFramePixels is < 64 * 64 or > 100_000_000)
        {
            failures.Add("Vision:MaxVideoFramePixels must be from 4096 to 100,000,000 (pixels a sampled video frame keeps).");
        }

        if (options.MaxVideoBytes < 1024)
        {
            failures.Add("Vision:MaxVideoBytes must be at least 1024.");
        }

        if (!double.IsFinite(options.VideoTimeoutSeconds) || options.VideoTimeoutSeconds <= 0)
        {
            failures.Add("Vision:VideoTimeoutSeconds must be greater than 0.");
        }

        if (options.MaxConcurrentVideoDecodes is < 1 or > 64)
        {
            failures.Add("Vision:MaxConcurrentVideoDecodes must be from 1 to 64.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
