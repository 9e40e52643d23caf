using InferenceServer.Files;
using InferenceServer.Security;
using Microsoft.Extensions.Options;

namespace InferenceServer.Vision;

/// <summary>
/// The bytes an <see cref="ImagePart"/> names: a base64 <c>data:</c> URL, an http(s) URL fetched through the
/// <see cref="RemoteFetchPolicy"/>, or a file of this API key from the Files store. Every failure names the part's field;
/// a video part is bounded by <c>Vision:MaxVideoBytes</c> instead of <c>Vision:MaxImageBytes</c>.
/// </summary>
public sealed class ImageBytes
{
    private readonly RemoteFetchPolicy _fetch;
    private readonly FileStore _files;
    private readonly VisionOptions _options;

    public ImageBytes(RemoteFetchPolicy fetch, FileStore files, IOptions<VisionOptions> options)
    {
        _fetch = fetch;
        _files = files;
        _options = options.Value;
    }

    public async Task<byte[]> ReadAsync(ImagePart part, string owner, CancellationToken cancellationToken)
    {
        if (part.FileId is { } id)
        {
            return await ReadFileAsync(part, owner, id, cancellationToken);
        }

        var url = part.Url!;
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return DataUrl(part, url);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw VisionErrors.InvalidField(part.Param, $"an {(part.IsVideo ? "video" : "image")} URL must be a data: URL (base64) or an http(s) URL.");
        }

        try
        {
            return await _fetch.FetchAsync(uri, cancellationToken);
        }
        catch (RemoteFetchRefusedException e)
        {
            throw VisionErrors.FetchRefused(part, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw VisionErrors.FetchRefused(part, $"fetching '{uri}' took longer than the server waits (RemoteFetch:Timeout).");
        }
        catch (HttpRequestException e)
        {
            throw VisionErrors.FetchRefused(part, $"'{uri}' could not be fetched ({e.HttpRequestError}).");
        }
    }

    /// <summary>
    /// The part as its uploaded file says it is: a <c>file</c> part takes an image or a video, an image part must name
    /// an image and a video part a video. Parts with a URL are returned as they are.
    /// </summary>
    public ImagePart Resolve(ImagePart part, string owner)
    {
        if (part.FileId is not { } id)
        {
            return part;
        }

        var file = _files.Find(owner, id) ?? throw FileErrors.NotFound(id, part.Param);
        var video = VideoSniffer.IsVideo(file.ContentType);
        if (part.Type == "file")
        {
            return video ? part with { VideoFile = true } : part;
        }

        return (video, part.IsVideo) switch
        {
            (true, false) => throw VisionErrors.InvalidField(part.Param, $"the file '{id}' is a video ({file.ContentType}): send it in a video_url part (or a file part)."),
            (false, true) => throw VisionErrors.InvalidField(part.Param, $"the file '{id}' is an image ({file.ContentType}): send it in an image_url part (or a file part)."),
            _ => part,
        };
    }

    private async Task<byte[]> ReadFileAsync(ImagePart part, string owner, string id, CancellationToken cancellationToken)
    {
        var file = _files.Find(owner, id) ?? throw FileErrors.NotFound(id, part.Param);
        var (max, key, noun) = Bound(part);
        if (file.Bytes > max)
        {
            throw Invalid(part, $"the file is {file.Bytes} bytes; {(part.IsVideo ? "a" : "an")} {noun} may have at most {max} ({key}).");
        }

        await using var stream = _files.OpenRead(file);
        using var buffer = new MemoryStream((int)file.Bytes);
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary><c>data:[type][;base64],DATA</c>; only base64 is accepted (an image or video is binary). The declared type is not trusted.</summary>
    private byte[] DataUrl(ImagePart part, string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(part, $"a data: URL must be base64 ({(part.IsVideo ? "data:video/mp4" : "data:image/png")};base64,...).");
        }

        var data = url.AsSpan(comma + 1);
        var (max, key, noun) = Bound(part);
        if ((data.Length / 4L * 3) > max + 2)
        {
            throw Invalid(part, $"the {noun} is larger than {max} bytes ({key}).");
        }

        var bytes = new byte[(data.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64Chars(data, bytes, out var written))
        {
            throw Invalid(part, "the data: URL is not valid base64.");
        }

        if (written == 0)
        {
            throw Invalid(part, "the data: URL is empty.");
        }

        return bytes.AsSpan(0, written).ToArray();
    }

    private (long Max, string Key, string Noun) Bound(ImagePart part) => part.IsVideo
        ? (_options.MaxVideoBytes, "Vision:MaxVideoBytes", "video")
        : (_options.MaxImageBytes, "Vision:MaxImageBytes", "image");

    private static Errors.ApiException Invalid(ImagePart part, string message) =>
        part.IsVideo ? VisionErrors.InvalidVideo(part.Param, message) : VisionErrors.InvalidImage(part.Param, message);
}
