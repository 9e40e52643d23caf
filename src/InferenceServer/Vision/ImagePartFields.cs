using System.Text.Json;

namespace InferenceServer.Vision;

/// <summary>The field checks every route's image parts share: the URL's length and the <c>detail</c> values.</summary>
internal static class ImagePartFields
{
    /// <summary>The longest http(s) URL accepted, as DeepSeek (data: URLs are bounded by their decoded size instead).</summary>
    public const int MaxUrlLength = 8192;

    public static string Url(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } url)
        {
            throw VisionErrors.InvalidField(param, "expected a non-empty string: a data: URL (base64) or an http(s) URL.");
        }

        if (url.Length > MaxUrlLength && !url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            throw VisionErrors.InvalidField(param, $"the URL is {url.Length} characters; at most {MaxUrlLength} are accepted (send larger content as a data: URL).");
        }

        return url;
    }

    public static string FileId(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } id
            ? id
            : throw VisionErrors.InvalidField(param, "expected the id of an uploaded file (a string).");

    /// <summary><c>detail</c> of <paramref name="owner"/>: absent or null is <c>auto</c>.</summary>
    public static ImageDetail Detail(JsonElement owner, string param)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty("detail", out var detail) || detail.ValueKind == JsonValueKind.Null)
        {
            return ImageDetail.Auto;
        }

        return detail.ValueKind == JsonValueKind.String ? detail.GetString() switch
        {
            "auto" => ImageDetail.Auto,
            "low" => ImageDetail.Low,
            "high" => ImageDetail.High,
            "original" => ImageDetail.Original,
            _ => throw BadDetail(param),
        }
        : throw BadDetail(param);
    }

    private static Errors.ApiException BadDetail(string param) =>
        VisionErrors.InvalidField(param, "expected one of 'low', 'high', 'original' or 'auto'.");
}
