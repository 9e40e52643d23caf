namespace InferenceServer.Contracts.Videos;

/// <summary>
/// <c>POST /v1/videos</c> as JSON (multipart carries the same fields): OpenAI's <c>model</c>, <c>prompt</c>,
/// <c>seconds</c>, <c>size</c>, <c>input_reference</c>, and our extensions <c>negative_prompt</c>, <c>seed</c>,
/// <c>steps</c>, <c>guidance_scale</c>, <c>fps</c>.
/// </summary>
public sealed class VideoCreateRequest
{
    public string? Model { get; init; }

    public string? Prompt { get; init; }

    /// <summary>A string, as OpenAI's API takes it (<c>"4"</c>).</summary>
    public string? Seconds { get; init; }

    /// <summary><c>WIDTHxHEIGHT</c> from the model's list.</summary>
    public string? Size { get; init; }

    /// <summary>
    /// The first frame for image-to-video (only I2V exports take one, and they need it): a multipart file, or a data URL
    /// string, <c>{"image_url": "data:image/png;base64,…"}</c> or <c>{"file_id": "file-…"}</c> from the Files API.
    /// </summary>
    public System.Text.Json.JsonElement? InputReference { get; init; }

    public string? NegativePrompt { get; init; }

    public long? Seed { get; init; }

    public int? Steps { get; init; }

    public float? GuidanceScale { get; init; }

    public int? Fps { get; init; }
}
