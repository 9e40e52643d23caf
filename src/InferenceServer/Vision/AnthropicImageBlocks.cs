using System.Text.Json;

namespace InferenceServer.Vision;

/// <summary>
/// The <c>image</c> blocks of an Anthropic Messages request, in order: <c>source</c> of type <c>base64</c>
/// (<c>media_type</c> is not trusted: the bytes say what the image is), <c>url</c> or <c>file</c>. Paths are
/// Anthropic's (<c>messages.0.content.1.source.data</c>).
/// </summary>
internal static class AnthropicImageBlocks
{
    public static List<ImagePart> Collect(IReadOnlyList<JsonElement>? messages)
    {
        var images = new List<ImagePart>();
        for (var i = 0; i < (messages?.Count ?? 0); i++)
        {
            if (messages![i].ValueKind != JsonValueKind.Object || !messages[i].TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var j = 0;
            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "image")
                {
                    images.Add(Image(block, $"messages.{i}.content.{j}"));
                }

                j++;
            }
        }

        return images;
    }

    private static ImagePart Image(JsonElement block, string at)
    {
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            throw VisionErrors.InvalidField($"{at}.source", "Field required: an image block needs a \"source\" object.");
        }

        var kind = source.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (kind)
        {
            case "base64":
                if (!source.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String || data.GetString() is not { Length: > 0 } base64)
                {
                    throw VisionErrors.InvalidField($"{at}.source.data", "Field required: the image's base64 data.");
                }

                return new ImagePart("image", at, $"{at}.source.data", $"data:image;base64,{base64}", null, ImageDetail.Auto);
            case "url":
                var url = source.TryGetProperty("url", out var u) ? u : default;
                return new ImagePart("image", at, $"{at}.source.url", ImagePartFields.Url(url, $"{at}.source.url"), null, ImageDetail.Auto);
            case "file":
                var id = source.TryGetProperty("file_id", out var f) ? f : default;
                return new ImagePart("image", at, $"{at}.source.file_id", null, ImagePartFields.FileId(id, $"{at}.source.file_id"), ImageDetail.Auto);
            default:
                throw VisionErrors.InvalidField($"{at}.source.type", "expected 'base64', 'url' or 'file'.");
        }
    }
}
