using System.Text.Json;
using InferenceServer.Engine.Images;
using InferenceServer.Errors;
using InferenceServer.Images;
using InferenceServer.Vision;
using Microsoft.Extensions.Options;

namespace InferenceServer.Videos;

/// <summary>
/// The image-to-video <c>input_reference</c>: a multipart file, or in JSON (or a multipart text field) a data URL /
/// http(s) URL string, <c>{"image_url": …}</c> or <c>{"file_id": …}</c> of this key's Files. Read and fully decoded
/// before the job is queued, with the Images upload limits; every refusal is a 400 naming <c>input_reference</c>.
/// </summary>
public sealed class VideoReferenceReader
{
    public const string Field = "input_reference";

    private readonly ImageBytes _bytes;
    private readonly ImageOptions _limits;

    public VideoReferenceReader(ImageBytes bytes, IOptions<ImageOptions> limits)
    {
        _bytes = bytes;
        _limits = limits.Value;
    }

    /// <summary>The reference's encoded bytes (PNG, JPEG or WebP), checked to decode.</summary>
    public async Task<byte[]> ReadAsync(JsonElement? json, IFormFile? file, string owner, CancellationToken cancellationToken)
    {
        byte[] bytes = file is not null
            ? await UploadedImageDecoder.ReadAsync(file, Field, _limits, cancellationToken)
            : await _bytes.ReadAsync(Part(json!.Value), owner, cancellationToken);
        if (bytes.Length > _limits.MaxUploadBytes)
        {
            throw ApiException.InvalidParameter(Field, $"The '{Field}' image is {bytes.Length} bytes; the limit is {_limits.MaxUploadBytes} bytes.");
        }

        UploadedImageDecoder.Decode(bytes, Field, _limits).Dispose();
        return bytes;
    }

    /// <summary>A stored reference as pixels at its own size (the pipeline resizes it as diffusers does).</summary>
    public RgbImage Decode(byte[] bytes)
    {
        using var bitmap = UploadedImageDecoder.Decode(bytes, Field, _limits);
        return UploadedImageDecoder.ToRgb(bitmap, new ImageSize(bitmap.Width, bitmap.Height));
    }

    private static ImagePart Part(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            return text.Contains(':', StringComparison.Ordinal) ? Url(text, Field) : new ImagePart(Field, Field, Field, null, text, ImageDetail.Auto);
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (value.TryGetProperty("file_id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                return new ImagePart(Field, Field, $"{Field}.file_id", null, id.GetString(), ImageDetail.Auto);
            }

            if (value.TryGetProperty("image_url", out var url))
            {
                if (url.ValueKind == JsonValueKind.Object && url.TryGetProperty("url", out var inner))
                {
                    url = inner;
                }

                if (url.ValueKind == JsonValueKind.String)
                {
                    return Url(url.GetString()!, $"{Field}.image_url");
                }
            }
        }

        throw ApiException.InvalidParameter(Field, $"{Field} must be an uploaded file, an image URL (data:image/png;base64,…), {{\"image_url\": …}} or {{\"file_id\": …}}.");
    }

    private static ImagePart Url(string url, string param) => new(Field, Field, param, url, null, ImageDetail.Auto);
}
