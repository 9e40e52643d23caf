using InferenceServer.Files;
using Microsoft.Extensions.Options;

namespace InferenceServer.Vision;

/// <summary>
/// The one path every route's images take (chat parts, Anthropic <c>image</c> blocks, Responses <c>input_image</c>):
/// the per-request bound, then each image read and decoded, so a hostile or malformed image is refused with its own
/// error naming its field before anything asks whether the model reads images (ChatPreparer asks, then the model's
/// vision encoder takes them). A video part becomes its sampled frames, in order where it stood (one
/// <see cref="DecodedImage"/> each, all naming that part), and each frame counts against the bound.
/// </summary>
public sealed class ImageInput
{
    private readonly ImageBytes _bytes;
    private readonly VideoFrames _video;
    private readonly VisionOptions _options;

    public ImageInput(ImageBytes bytes, VideoFrames video, IOptions<VisionOptions> options)
    {
        _bytes = bytes;
        _video = video;
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
        for (var i = 0; i < parts.Count; i++)
        {
            var part = _bytes.Resolve(parts[i], owner);
            if (!part.IsVideo)
            {
                images.Add(ImageDecoder.Decode(part, await _bytes.ReadAsync(part, owner, cancellationToken), _options));
                continue;
            }

            _video.CheckAvailable(part);
            var frames = await _video.ReadAsync(part, await _bytes.ReadAsync(part, owner, cancellationToken), cancellationToken);
            images.AddRange(frames);
            var total = images.Count + (parts.Count - i - 1);
            if (total > _options.MaxImagesPerRequest)
            {
                throw VisionErrors.InvalidField(part.PartParam,
                    $"with the {frames.Count} frames of this video (each frame counts as an image) the request has {total} images; " +
                    $"at most {_options.MaxImagesPerRequest} are accepted per request (Vision:MaxImagesPerRequest).");
            }
        }

        return images;
    }
}
