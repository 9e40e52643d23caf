using InferenceServer.Files;
using InferenceServer.Security;
using Microsoft.Extensions.Options;

namespace InferenceServer.Vision;

/// <summary>
/// The bytes an <see cref="ImagePart"/> names: a base64 <c>data:</c> URL, an http(s) URL fetched through the
/// <see cref="RemoteFetchPolicy"/>, or a file of this API key from the Files store. Every failure names the part's field.
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
            return DataUrl(part.Param, url);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw VisionErrors.InvalidField(part.Param, "an image URL must be a data: URL (base64) or an http(s) URL.");
        }

        try
        {
            return await _fetch.FetchAsync(uri, cancellationToken);
        }
        catch (RemoteFetchRefusedException e)
        {
            throw VisionErrors.FetchRefused(part.Param, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw VisionErrors.FetchRefused(part.Param, $"fetching '{uri}' took longer than the server waits (RemoteFetch:Timeout).");
        }
        catch (HttpRequestException e)
        {
            throw VisionErrors.FetchRefused(part.Param, $"'{uri}' could not be fetched ({e.HttpRequestError}).");
        }
    }

    private async Task<byte[]> ReadFileAsync(ImagePart part, string owner, string id, CancellationToken cancellationToken)
    {
        var file = _files.Find(owner, id) ?? throw FileErrors.NotFound(id, part.Param);
        if (file.Bytes > _options.MaxImageBytes)
        {
            throw VisionErrors.InvalidImage(part.Param, $"the file is {file.Bytes} bytes; an image may have at most {_options.MaxImageBytes} (Vision:MaxImageBytes).");
        }

        await using var stream = _files.OpenRead(file);
        using var buffer = new MemoryStream((int)file.Bytes);
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary><c>data:[type][;base64],DATA</c>; only base64 is accepted (an image is binary). The declared type is not trusted.</summary>
    private byte[] DataUrl(string param, string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw VisionErrors.InvalidImage(param, "a data: URL must be base64 (data:image/png;base64,...).");
        }

        var data = url.AsSpan(comma + 1);
        if ((data.Length / 4L * 3) > _options.MaxImageBytes + 2)
        {
            throw VisionErrors.InvalidImage(param, $"the image is larger than {_options.MaxImageBytes} bytes (Vision:MaxImageBytes).");
        }

        var bytes = new byte[(data.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64Chars(data, bytes, out var written))
        {
            throw VisionErrors.InvalidImage(param, "the data: URL is not valid base64.");
        }

        if (written == 0)
        {
            throw VisionErrors.InvalidImage(param, "the data: URL is empty.");
        }

        return bytes.AsSpan(0, written).ToArray();
    }
}
