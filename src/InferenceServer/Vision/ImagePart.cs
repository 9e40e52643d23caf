namespace InferenceServer.Vision;

/// <summary>
/// One image a request names, before it is read: a URL (<c>data:</c> or http(s)) or an uploaded file's id.
/// <see cref="PartParam"/> names the part (<c>messages[0].content[1]</c>), <see cref="Param"/> the field the image
/// came from (<c>messages[0].content[1].image_url.url</c>); every error about the image names the latter.
/// </summary>
public sealed record ImagePart(string Type, string PartParam, string Param, string? Url, string? FileId, ImageDetail Detail);
