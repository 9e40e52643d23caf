namespace InferenceServer.Contracts;

/// <summary>
/// <c>POST /v1/images/generations</c>, OpenAI's fields plus this server's extensions (<c>seed</c>, <c>negative_prompt</c>,
/// <c>steps</c>, <c>guidance_scale</c>, <c>scheduler</c>).
/// </summary>
public sealed class ImageGenerationRequestDto
{
    /// <summary>What to draw.</summary>
    public string? Prompt { get; init; }

    /// <summary>An image model id (GET /models); empty: the first image model.</summary>
    public string? Model { get; init; }

    /// <summary>How many images, 1–10.</summary>
    public int? N { get; init; }

    /// <summary><c>WIDTHxHEIGHT</c> from the model's sizes, or <c>auto</c> (its first size).</summary>
    public string? Size { get; init; }

    /// <summary><c>b64_json</c> (default) or <c>url</c> (served by this server for 60 minutes).</summary>
    public string? ResponseFormat { get; init; }

    /// <summary><c>png</c> (default), <c>jpeg</c> or <c>webp</c>.</summary>
    public string? OutputFormat { get; init; }

    /// <summary>0–100, for <c>jpeg</c> and <c>webp</c> (default 100).</summary>
    public int? OutputCompression { get; init; }

    /// <summary><c>auto</c>, <c>low</c>, <c>medium</c>, <c>high</c>, <c>standard</c> or <c>hd</c>; echoed, steps come from <c>steps</c>.</summary>
    public string? Quality { get; init; }

    /// <summary><c>auto</c> or <c>opaque</c>; diffusion models cannot make <c>transparent</c> backgrounds.</summary>
    public string? Background { get; init; }

    /// <summary>Accepted for compatibility: <c>auto</c> or <c>low</c>.</summary>
    public string? Moderation { get; init; }

    /// <summary>Accepted for compatibility (DALL·E 3 only at OpenAI).</summary>
    public string? Style { get; init; }

    /// <summary>Streaming partial images is not supported; false or absent.</summary>
    public bool? Stream { get; init; }

    /// <summary>An end-user id, accepted and not stored.</summary>
    public string? User { get; init; }

    /// <summary>Extension: same seed and parameters give byte-identical images; image k of n uses seed + k.</summary>
    public long? Seed { get; init; }

    /// <summary>Extension: what to steer away from (classifier-free guidance's unconditional prompt); diffusion models only (422 on a model that draws token by token).</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>Extension: denoising steps (default: the model's); diffusion models only (422 on a model that draws token by token).</summary>
    public int? Steps { get; init; }

    /// <summary>Extension: classifier-free guidance scale, 0–30; ≤ 1 turns guidance off (Janus-Pro: its <c>cfg_weight</c>, default 5).</summary>
    public float? GuidanceScale { get; init; }

    /// <summary>Extension: <c>euler</c>, <c>euler_a</c>, <c>ddim</c> or <c>lcm</c> (default: the model folder's scheduler); diffusion models only.</summary>
    public string? Scheduler { get; init; }
}
