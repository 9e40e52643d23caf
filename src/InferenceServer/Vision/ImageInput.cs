using InferenceServer.Files;
using Microsoft.Extensions.Options;

namespace InferenceServer.Vision;

/// <summary>
/// The one path every route's images take (chat parts, Anthropic <c>image</c> blocks, Responses <c>input_image</c>):
/// the per-request bound, then each image read and decoded, so a hostile or malformed image is refused with its own
/// error naming its field before anything asks whether the model reads images (ChatPreparer asks, then the model's
/// vision encoder takes them).
/// </summary>
public sealed class ImageInput
{
    private readonly ImageBytes _bytes;
    private readonly VisionOptions _options;

    public ImageInput(ImageBytes bytes, IOptions<VisionOptions> options)
    {
        _bytes = bytes;
        _options = options.Value;
    }

    public async Task<IReadOnlyList<DecodedImage>> ReadAsync(IReadOnlyList<ImagePart> parts, HttpContext context, CancellationToken cancellationToken)
    {
        if (parts.Count > _options.MaxImagesPerRequest)
        {
            var extra = parts[_options.MaxImagesPerRequest];
            throw VisionErrors.InvalidField(extra.PartParam,
                $"the request has {parts.Count} images; at most {_options.MaxImagesPerRequest} are accepted per request (Vision:MaxImagesPerRequest).");
        }

        var owner = FileOwner.Of(context);
        var images = new List<DecodedImage>(parts.Count);
        foreach (var part in parts)
        {
            var bytes = await _bytes.ReadAsync(part, owner, cancellationToken);
            images.Add(ImageDecoder.Decode(part, bytes, _options));
        }

        return images;
    }
}
