namespace InferenceServer.Engine.Images;

/// <summary>
/// What <c>/v1/images</c> serves: a diffusion folder (<see cref="DiffusionPipeline"/>) or a model that draws token by
/// token (Janus-Pro, <see cref="Janus.JanusImageGenerator"/>). The same request, seed included, gives the same pixels.
/// </summary>
public interface IImagePipeline : IDisposable
{
    /// <summary>True when an init image (edits, variations) can be given.</summary>
    bool SupportsImageInput { get; }

    /// <summary>Why an init image cannot be given, for the 400 (when <see cref="SupportsImageInput"/> is false).</summary>
    string NoImageInputReason { get; }

    /// <summary>True for a model that draws image tokens one by one: no denoising steps, scheduler, negative prompt or strength.</summary>
    bool Autoregressive { get; }

    /// <summary>Steps run since load, all requests together (denoising steps, or image tokens drawn): shows that a cancelled request stopped.</summary>
    long StepsRun { get; }

    /// <summary>Prompt tokens the pipeline reads (longer prompts are cut, as CLIP's 77 are).</summary>
    int MaxPromptTokens { get; }

    /// <summary>Makes the images of <paramref name="requests"/>, each as if alone; a pipeline may run them together.</summary>
    IReadOnlyList<GeneratedImage> Generate(IReadOnlyList<ImageGenerationRequest> requests, CancellationToken cancellationToken);
}
