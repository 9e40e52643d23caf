using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Contracts;

/// <summary><c>POST /v1/images/variations</c> (multipart/form-data): image-to-image from <c>image</c> with no prompt.</summary>
public sealed class ImageVariationForm
{
    [FromForm(Name = "image")]
    public IFormFile? Image { get; init; }

    [FromForm(Name = "model")]
    public string? Model { get; init; }

    [FromForm(Name = "n")]
    public int? N { get; init; }

    [FromForm(Name = "size")]
    public string? Size { get; init; }

    [FromForm(Name = "response_format")]
    public string? ResponseFormat { get; init; }

    [FromForm(Name = "user")]
    public string? User { get; init; }

    [FromForm(Name = "seed")]
    public long? Seed { get; init; }

    [FromForm(Name = "steps")]
    public int? Steps { get; init; }

    /// <summary>Extension: how far from the image to go, 0–1 (default 0.6).</summary>
    [FromForm(Name = "strength")]
    public float? Strength { get; init; }
}
