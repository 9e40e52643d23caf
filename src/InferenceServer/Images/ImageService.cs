using InferenceServer.Contracts;
using InferenceServer.Engine.Images;
using InferenceServer.Hosting;
using InferenceServer.Metrics;

namespace InferenceServer.Images;

/// <summary>
/// Runs a planned image request: admission, the pipeline over all n images (seed + k) on a thread of its own, encoding, and
/// either base64 or a stored file's URL.
/// </summary>
public sealed class ImageService
{
    private readonly ImageAdmission _admission;
    private readonly ImageStore _store;
    private readonly TimeProvider _time;
    private readonly WorkloadMetrics _metrics;

    public ImageService(ImageAdmission admission, ImageStore store, TimeProvider time, WorkloadMetrics metrics)
    {
        _admission = admission;
        _store = store;
        _time = time;
        _metrics = metrics;
    }

    /// <param name="fileUrlBase">Absolute URL that a stored file name is appended to.</param>
    public async Task<ImagesResponse> RunAsync(ImagePlan plan, RgbImage? init, float[]? mask, string fileUrlBase, CancellationToken cancellationToken)
    {
        using var lease = await _admission.EnterAsync(cancellationToken);
        using var measured = _metrics.Start(plan.Model.Id, "images");
        var data = new List<ImageDataDto>(plan.Count);
        var stored = new List<string>();
        (int Input, int Output) tokens;
        try
        {
            tokens = await GenerateAllAsync(plan, init, mask, fileUrlBase, data, stored, cancellationToken);
        }
        catch when (stored.Count > 0)
        {
            _store.Forget(stored);
            throw;
        }

        measured.Succeeded(data.Count);
        return new ImagesResponse
        {
            Created = _time.GetUtcNow().ToUnixTimeSeconds(),
            Data = data,
            Background = "opaque",
            OutputFormat = plan.OutputFormat,
            Quality = plan.Quality,
            Size = plan.Size.ToString(),
            Usage = new ImageUsageDto
            {
                InputTokens = tokens.Input,
                InputTokensDetails = new ImageTokenDetails { TextTokens = tokens.Input, ImageTokens = 0 },
                OutputTokens = tokens.Output,
                TotalTokens = tokens.Input + tokens.Output,
            },
        };
    }

    /// <summary>
    /// Generates and encodes every image into <paramref name="data"/>; returns the prompt tokens read and the image
    /// tokens written (a model that draws token by token writes them, as gpt-image counts them; diffusion writes none).
    /// </summary>
    private async Task<(int Input, int Output)> GenerateAllAsync(
        ImagePlan plan, RgbImage? init, float[]? mask, string fileUrlBase, List<ImageDataDto> data, List<string> stored, CancellationToken cancellationToken)
    {
        var requests = new List<ImageGenerationRequest>(plan.Count);
        for (int k = 0; k < plan.Count; k++)
        {
            requests.Add(new ImageGenerationRequest(plan.Prompt, plan.Size.Width, plan.Size.Height, plan.Seed + k)
            {
                NegativePrompt = plan.NegativePrompt,
                Steps = plan.Steps,
                GuidanceScale = plan.GuidanceScale,
                Scheduler = plan.Scheduler,
                InitImage = init,
                Mask = mask,
                Strength = plan.Strength,
            });
        }

        // One call for all n: a pipeline that draws token by token runs them as rows of the same steps.
        var generated = await DedicatedThread.RunAsync(() => plan.Model.Pipeline.Generate(requests, cancellationToken), cancellationToken);
        int tokens = 0;
        int output = 0;
        foreach (var image in generated)
        {
            tokens += image.PromptTokens;
            output += plan.Model.Pipeline.Autoregressive ? image.Steps : 0;
            var bytes = ImageEncoder.Encode(image.Image, plan.OutputFormat, plan.Compression);
            if (plan.AsUrl)
            {
                var name = await _store.SaveAsync(bytes, plan.OutputFormat, cancellationToken);
                stored.Add(name);
                data.Add(new ImageDataDto { Url = fileUrlBase + name, RevisedPrompt = plan.Prompt });
            }
            else
            {
                data.Add(new ImageDataDto { B64Json = Convert.ToBase64String(bytes), RevisedPrompt = plan.Prompt });
            }
        }

        return (tokens, output);
    }
}
