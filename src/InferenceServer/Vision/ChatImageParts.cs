using System.Text.Json;
using InferenceServer.Contracts;

namespace InferenceServer.Vision;

/// <summary>
/// The images of a chat request, in order: <c>{"type":"image_url","image_url":{"url"|"file_id","detail"}}</c> and
/// <c>{"type":"file","file":{"file_id"|"file_data"}}</c> (or DeepSeek's flat <c>file_id</c> / <c>file_data</c>), and videos:
/// vLLM's <c>{"type":"video_url","video_url":{"url"}}</c> or llama.cpp's <c>input_video</c> of the same shape,
/// whose sampled frames become images where the part stood (a video by URL or by an uploaded file's <c>file_id</c>; a <c>file</c> part names an image or a video).
/// </summary>
internal static class ChatImageParts
{
    public static List<ImagePart> Collect(IReadOnlyList<ChatMessageDto>? messages)
    {
        var images = new List<ImagePart>();
        for (var i = 0; i < (messages?.Count ?? 0); i++)
        {
            foreach (var part in messages![i]?.Content?.MediaParts ?? [])
            {
                var at = $"messages[{i}].content[{part.Index}]";
                images.Add(part.Type switch
                {
                    "image_url" => ImageUrl(part.Body, at),
                    "file" => File(part.Body, at),
                    _ => Video(part.Body, at, part.Type),
                });
            }
        }

        return images;
    }

    private static ImagePart ImageUrl(JsonElement part, string at)
    {
        if (!part.TryGetProperty("image_url", out var image))
        {
            throw VisionErrors.InvalidField($"{at}.image_url", "an image_url part needs \"image_url\": {\"url\": \"data:... or https://...\"}.");
        }

        if (image.ValueKind == JsonValueKind.String)
        {
            return new ImagePart("image_url", at, $"{at}.image_url", ImagePartFields.Url(image, $"{at}.image_url"), null, ImageDetail.Auto);
        }

        if (image.ValueKind != JsonValueKind.Object)
        {
            throw VisionErrors.InvalidField($"{at}.image_url", "expected an object with \"url\" (or \"file_id\").");
        }

        var detail = ImagePartFields.Detail(image, $"{at}.image_url.detail");
        if (image.TryGetProperty("file_id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            return new ImagePart("image_url", at, $"{at}.image_url.file_id", null, ImagePartFields.FileId(id, $"{at}.image_url.file_id"), detail);
        }

        if (!image.TryGetProperty("url", out var url))
        {
            throw VisionErrors.InvalidField($"{at}.image_url.url", "Field required: a data: URL (base64) or an http(s) URL.");
        }

        return new ImagePart("image_url", at, $"{at}.image_url.url", ImagePartFields.Url(url, $"{at}.image_url.url"), null, detail);
    }

    private static ImagePart Video(JsonElement part, string at, string type)
    {
        if (!part.TryGetProperty(type, out var video))
        {
            throw VisionErrors.InvalidField($"{at}.{type}", $"a {type} part needs \"{type}\": {{\"url\": \"data:video/mp4;base64,... or https://...\"}}.");
        }

        if (video.ValueKind == JsonValueKind.String)
        {
            return new ImagePart(type, at, $"{at}.{type}", ImagePartFields.Url(video, $"{at}.{type}"), null, ImageDetail.Auto);
        }

        if (video.ValueKind != JsonValueKind.Object)
        {
            throw VisionErrors.InvalidField($"{at}.{type}", "expected an object with \"url\".");
        }

        if (video.TryGetProperty("file_id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            return new ImagePart(type, at, $"{at}.{type}.file_id", null, ImagePartFields.FileId(id, $"{at}.{type}.file_id"), ImageDetail.Auto);
        }

        if (!video.TryGetProperty("url", out var url))
        {
            throw VisionErrors.InvalidField($"{at}.{type}.url", "Field required: a data: URL (base64) or an http(s) URL (or \"file_id\" naming an uploaded video).");
        }

        return new ImagePart(type, at, $"{at}.{type}.url", ImagePartFields.Url(url, $"{at}.{type}.url"), null, ImageDetail.Auto);
    }

    private static ImagePart File(JsonElement part, string at)
    {
        var (file, prefix) = part.TryGetProperty("file", out var nested) && nested.ValueKind == JsonValueKind.Object ? (nested, $"{at}.file") : (part, at);
        var detail = ImagePartFields.Detail(file, $"{prefix}.detail");
        if (file.TryGetProperty("file_id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            return new ImagePart("file", at, $"{prefix}.file_id", null, ImagePartFields.FileId(id, $"{prefix}.file_id"), detail);
        }

        if (file.TryGetProperty("file_data", out var data) && data.ValueKind != JsonValueKind.Null)
        {
            var url = ImagePartFields.Url(data, $"{prefix}.file_data");
            return url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
                ? new ImagePart("file", at, $"{prefix}.file_data", url, null, detail)
                : throw VisionErrors.InvalidField($"{prefix}.file_data", "expected a data: URL (base64).");
        }

        throw VisionErrors.InvalidField($"{at}.file.file_id", "a file part needs \"file\": {\"file_id\"} naming an uploaded image (POST /files) or {\"file_data\"} with a data: URL.");
    }
}
