using System.Globalization;
using InferenceServer.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace InferenceServer.Files;

/// <summary>
/// Reads <c>POST /files</c> as a stream of multipart sections: the file goes straight to a temp file in the store's
/// folder (never whole in memory), counted against the per-file cap and the store's budget as it arrives. A purpose
/// that is known before the file section refuses the upload before its bytes are read.
/// </summary>
internal static class FileUploadReader
{
    /// <summary>Room in the route's body limit for the boundaries, headers and small fields around the file.</summary>
    public const int FormOverheadBytes = 64 * 1024;

    private const int MaxFieldBytes = 1024;
    private const int MinExpirySeconds = 3600;
    private const int MaxExpirySeconds = 2592000;

    public static async Task<StoredFile> ReadAsync(HttpRequest request, FileStore store, string owner, CancellationToken cancellationToken)
    {
        var boundary = Boundary(request.ContentType);
        var form = new UploadForm();
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await NextAsync(reader, cancellationToken) is { } section)
            {
                await ReadSectionAsync(section, form, store, cancellationToken);
            }

            return Commit(form, store, owner);
        }
        finally
        {
            if (form.TempPath is { } temp)
            {
                FileStore.TryDelete(temp); // a read-only disk keeps it until the next start's cleanup; it is never listed
            }
        }
    }

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Length is 0 or > 200)
        {
            throw ApiException.InvalidFormat(
                "POST /files takes a multipart/form-data body (with a boundary) holding the fields 'purpose' and 'file', "
                + "and optionally 'expires_after[anchor]' and 'expires_after[seconds]'.");
        }

        return HeaderUtilities.RemoveQuotes(media.Boundary).ToString();
    }

    private static async Task<MultipartSection?> NextAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not BadHttpRequestException)
        {
            throw ApiException.InvalidFormat($"The multipart body is malformed: {e.Message}");
        }
    }

    private static async Task ReadSectionAsync(MultipartSection section, UploadForm form, FileStore store, CancellationToken cancellationToken)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || !disposition.Name.HasValue)
        {
            throw ApiException.InvalidFormat("Each multipart section needs a Content-Disposition: form-data header with a name.");
        }

        var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
        if (name == "file")
        {
            if (form.TempPath is not null)
            {
                throw ApiException.InvalidFormat("Send one 'file' per upload.", "file");
            }

            if (form.Purpose is not null)
            {
                CheckPurpose(form.Purpose);
            }

            var filename = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString();
            form.Filename = filename.Length == 0 ? "upload" : Path.GetFileName(filename.Replace('\\', '/'));
            await CopyToTempAsync(section.Body, form, store, cancellationToken);
            return;
        }

        var value = await ReadFieldAsync(section.Body, name, cancellationToken);
        switch (name)
        {
            case "purpose":
                form.Purpose = value;
                break;
            case "expires_after[anchor]":
                form.ExpiresAnchor = value;
                break;
            case "expires_after[seconds]":
                form.ExpiresSeconds = value;
                break;
        }
    }

    private static async Task CopyToTempAsync(Stream body, UploadForm form, FileStore store, CancellationToken cancellationToken)
    {
        var (path, stream) = store.CreateTemp();
        form.TempPath = path;
        var head = new byte[Math.Max(ImageSniffer.HeaderBytes, VideoSniffer.HeaderBytes)];
        var headLength = 0;
        var buffer = new byte[81920];
        long total = 0;
        await using (stream)
        {
            int read;
            while ((read = await ReadAsync(body, buffer, cancellationToken)) > 0)
            {
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                    headLength += take;
                }

                total += read;
                if (total > store.MaxFileBytes)
                {
                    throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                        $"The file is larger than {store.MaxFileBytes} bytes, the most this server stores in one file (Files:MaxFileBytes).",
                        "invalid_request_error", "file", "file_too_large");
                }

                store.EnsureRoom(total);
                await store.WriteTempAsync(stream, buffer.AsMemory(0, read), cancellationToken);
            }

            store.FinishTemp(stream);
        }

        form.Bytes = total;
        form.ContentType = ImageSniffer.ContentType(head.AsSpan(0, headLength)) ?? VideoSniffer.ContentType(head.AsSpan(0, headLength));
    }

    private static async Task<int> ReadAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not BadHttpRequestException)
        {
            throw ApiException.InvalidFormat($"The multipart body is malformed: {e.Message}");
        }
    }

    private static async Task<string> ReadFieldAsync(Stream body, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await ReadAsync(body, buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxFieldBytes)
        {
            throw ApiException.InvalidFormat($"The form field '{name}' is longer than {MaxFieldBytes} bytes.", name);
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }

    private static StoredFile Commit(UploadForm form, FileStore store, string owner)
    {
        if (form.Purpose is null)
        {
            throw ApiException.InvalidFormat("The form field 'purpose' is required; use 'user_data' for images.", "purpose");
        }

        CheckPurpose(form.Purpose);
        if (form.TempPath is null)
        {
            throw ApiException.InvalidFormat("The form field 'file' is required: the file's bytes, sent as a multipart file section.", "file");
        }

        if (form.Bytes == 0)
        {
            throw ApiException.InvalidFormat("The uploaded file is empty.", "file");
        }

        if (form.ContentType is null)
        {
            throw ApiException.InvalidFormat(
                "Files with purpose 'user_data' must be JPEG, PNG, GIF or WebP images, or MP4, MOV, WebM, Matroska or AVI videos (told from their content, not their name).", "file");
        }

        return store.Commit(form.TempPath, owner, form.Filename, form.Purpose, form.Bytes, ExpirySeconds(form), form.ContentType);
    }

    private static void CheckPurpose(string purpose)
    {
        if (FilePurposes.IsDocument(purpose))
        {
            throw new ApiException(StatusCodes.Status400BadRequest,
                $"purpose '{purpose}' asks for document parsing, and no document model is configured on this server. "
                + "Upload images with purpose 'user_data'.", "invalid_request_error", "purpose", "document_model_unavailable");
        }

        if (!FilePurposes.All.Contains(purpose))
        {
            throw ApiException.InvalidFormat(
                $"Invalid purpose '{purpose}': use one of {string.Join(", ", FilePurposes.All)}.", "purpose");
        }
    }

    private static long? ExpirySeconds(UploadForm form)
    {
        if (form.ExpiresAnchor is null && form.ExpiresSeconds is null)
        {
            return null;
        }

        if (form.ExpiresAnchor is null || form.ExpiresSeconds is null)
        {
            var missing = form.ExpiresAnchor is null ? "expires_after[anchor]" : "expires_after[seconds]";
            throw ApiException.InvalidFormat("expires_after[anchor] and expires_after[seconds] go together; send both or neither.", missing);
        }

        if (form.ExpiresAnchor != "created_at")
        {
            throw ApiException.InvalidParameter("expires_after[anchor]", $"Invalid expires_after[anchor] '{form.ExpiresAnchor}': it must be 'created_at'.");
        }

        if (!long.TryParse(form.ExpiresSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds is < MinExpirySeconds or > MaxExpirySeconds)
        {
            throw ApiException.InvalidParameter("expires_after[seconds]",
                $"Invalid expires_after[seconds] '{form.ExpiresSeconds}': it must be a whole number of seconds between {MinExpirySeconds} and {MaxExpirySeconds} (1 hour to 30 days).");
        }

        return seconds;
    }
}
