using System.Text.Json;

namespace InferenceServer.Vision;

/// <summary>
/// The <c>input_image</c> parts of a Responses request's <c>input</c>, in order: <c>image_url</c> (a data: or http(s)
/// URL, as a string) or <c>file_id</c>, and <c>detail</c>; and <c>input_video</c> parts with <c>video_url</c> or
/// <c>file_id</c> (not OpenAI's: a video's sampled frames become images where it stood).
/// </summary>
internal static class ResponsesImageParts
{
    public static List<ImagePart> Collect(JsonElement? input)
    {
        var images = new List<ImagePart>();
        if (input is not { ValueKind: JsonValueKind.Array } items)
        {
            return images;
        }

        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                var j = 0;
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is "input_image" or "input_video")
                    {
                        images.Add(type.GetString() == "input_image" ? Image(part, $"input[{i}].content[{j}]") : Video(part, $"input[{i}].content[{j}]"));
                    }

                    j++;
                }
            }

            i++;
        }

        return images;
    }

    private static ImagePart Image(JsonElement part, string at)
    {
        var detail = ImagePartFields.Detail(part, $"{at}.detail");
        if (part.TryGetProperty("file_id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            return new ImagePart("input_image", at, $"{at}.file_id", null, ImagePartFields.FileId(id, $"{at}.file_id"), detail);
        }

        if (!part.TryGetProperty("image_url", out var url))
        {
            throw VisionErrors.InvalidField($"{at}.image_url", "Field required: an input_image part needs \"image_url\" (a data: or http(s) URL) or \"file_id\".");
        }

        if (url.ValueKind == JsonValueKind.Object && url.TryGetProperty("url", out var nested))
        {
            return new ImagePart("input_image", at, $"{at}.image_url.url", ImagePartFields.Url(nested, $"{at}.image_url.url"), null, detail);
        }

        return new ImagePart("input_image", at, $"{at}.image_url", ImagePartFields.Url(url, $"{at}.image_url"), null, detail);
    }

    private static ImagePart Video(JsonElement part, string at)
    {
        if (part.TryGetProperty("file_id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            return new ImagePart("input_video", at, $"{at}.file_id", null, ImagePartFields.FileId(id, $"{at}.file_id"), ImageDetail.Auto);
        }

        if (!part.TryGetProperty("video_url", out var url))
        {
            throw VisionErrors.InvalidField($"{at}.video_url", "Field required: an input_video part needs \"video_url\" (a data: or http(s) URL) or \"file_id\" (an uploaded video).");
        }

        if (url.ValueKind == JsonValueKind.Object && url.TryGetProperty("url", out var nested))
        {
            return new ImagePart("input_video", at, $"{at}.video_url.url", ImagePartFields.Url(nested, $"{at}.video_url.url"), null, ImageDetail.Auto);
        }

        return new ImagePart("input_video", at, $"{at}.video_url", ImagePartFields.Url(url, $"{at}.video_url"), null, ImageDetail.Auto);
    }
}
