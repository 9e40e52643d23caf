using Microsoft.Extensions.Options;

namespace InferenceServer.Images;

/// <summary>Start-up checks of <c>Images</c> and <c>ImageModels</c>: each failure names the key and what would be right.</summary>
internal sealed class ImageOptionsValidator : IValidateOptions<ImageOptions>, IValidateOptions<ImageModelCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, ImageOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConcurrentRequests < 1)
        {
            failures.Add("Images:MaxConcurrentRequests must be 1 or more.");
        }

        if (options.MaxQueueWaitSeconds < 0)
        {
            failures.Add("Images:MaxQueueWaitSeconds must be 0 (no waiting) or more.");
        }

        if (options.UrlLifetimeMinutes <= 0)
        {
            failures.Add("Images:UrlLifetimeMinutes must be more than 0.");
        }

        if (options.MaxUploadBytes < 1024 || options.MaxUploadPixels < 64 * 64)
        {
            failures.Add("Images:MaxUploadBytes must be at least 1024 and Images:MaxUploadPixels at least 4096.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, ImageModelCatalogOptions options)
    {
        var failures = new List<string>();
        for (int i = 0; i < options.ImageModels.Count; i++)
        {
            var m = options.ImageModels[i];
            var key = $"ImageModels:{i}";
            if (string.IsNullOrWhiteSpace(m.Id))
            {
                failures.Add($"{key}:Id is required (the name clients send as 'model').");
            }

            if (string.IsNullOrWhiteSpace(m.Path))
            {
                failures.Add($"{key}:Path is required (a diffusers ONNX folder with model_index.json).");
            }

            if (m.DefaultSteps < 1 || m.MaxSteps < m.DefaultSteps)
            {
                failures.Add($"{key}:DefaultSteps must be 1 or more and at most {key}:MaxSteps ({m.MaxSteps}).");
            }

            foreach (var size in m.Sizes)
            {
                if (!ImageSize.TryParse(size, out _))
                {
                    failures.Add($"{key}:Sizes has '{size}'; use WIDTHxHEIGHT with both multiples of 8, such as 512x512.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
