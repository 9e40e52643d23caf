using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Contracts;

/// <summary>
/// <c>POST /v1/images/edits</c> (multipart/form-data). Files: <c>image</c> or <c>image[]</c> (the first is edited) and
/// <c>mask</c> (PNG of the image's size; fully transparent pixels mark what to repaint).
/// </summary>
public sealed class ImageEditForm
{
    /// <summary>The image to edit (PNG, JPEG or WebP). <c>image[]</c> is read as well; one image per request.</summary>
    [FromForm(Name = "image")]
    public IFormFile? Image { get; init; }

    /// <summary>Where to edit: alpha 0 repaints, opaque keeps.</summary>
    [FromForm(Name = "mask")]
    public IFormFile? Mask { get; init; }

    [FromForm(Name = "prompt")]
    public string? Prompt { get; init; }

    [FromForm(Name = "model")]
    public string? Model { get; init; }

    [FromForm(Name = "n")]
    public int? N { get; init; }

    [FromForm(Name = "size")]
    public string? Size { get; init; }

    [FromForm(Name = "response_format")]
    public string? ResponseFormat { get; init; }

    [FromForm(Name = "output_format")]
    public string? OutputFormat { get; init; }

    [FromForm(Name = "output_compression")]
    public int? OutputCompression { get; init; }

    [FromForm(Name = "quality")]
    public string? Quality { get; init; }

    [FromForm(Name = "background")]
    public string? Background { get; init; }

    [FromForm(Name = "user")]
    public string? User { get; init; }

    [FromForm(Name = "seed")]
    public long? Seed { get; init; }

    [FromForm(Name = "negative_prompt")]
    public string? NegativePrompt { get; init; }

    [FromForm(Name = "steps")]
    public int? Steps { get; init; }

    [FromForm(Name = "guidance_scale")]
    public float? GuidanceScale { get; init; }

    [FromForm(Name = "scheduler")]
    public string? Scheduler { get; init; }

    /// <summary>Extension: how far from the image to go, 0–1 (default 1 with a mask, 0.75 without).</summary>
    [FromForm(Name = "strength")]
    public float? Strength { get; init; }
}
