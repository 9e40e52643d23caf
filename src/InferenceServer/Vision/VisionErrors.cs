using InferenceServer.Errors;

namespace InferenceServer.Vision;

/// <summary>The refusals of image and video parts, the same on chat, Anthropic and Responses (Anthropic's envelope has no param, so messages name the field).</summary>
internal static class VisionErrors
{
    /// <summary>400: the image itself is wrong (not an image, corrupt, truncated, too large).</summary>
    public static ApiException InvalidImage(string param, string message) =>
        new(StatusCodes.Status400BadRequest, $"Invalid image in '{param}': {message}", "invalid_request_error", param, "invalid_image");

    /// <summary>400: the video itself is wrong (corrupt, no video stream, no frame decoded, too large, too slow to read).</summary>
    public static ApiException InvalidVideo(string param, string message) =>
        new(StatusCodes.Status400BadRequest, $"Invalid video in '{param}': {message}", "invalid_request_error", param, "invalid_video");

    /// <summary>400: the server would not fetch the URL (allow-list, private address, redirect, size, time).</summary>
    public static ApiException FetchRefused(ImagePart part, string message) =>
        new(StatusCodes.Status400BadRequest, $"Invalid {(part.IsVideo ? "video" : "image")} in '{part.Param}': {message}", "invalid_request_error", part.Param, "remote_fetch_refused");

    /// <summary>422: a field of the part has the wrong shape or value.</summary>
    public static ApiException InvalidField(string param, string message) =>
        ApiException.InvalidParameter(param, $"Invalid value for '{param}': {message}");

    /// <summary>400: a valid image (or video) sent to a model that reads text only.</summary>
    public static ApiException TextOnly(ImagePart part, string model) =>
        ApiException.InvalidFormat(
            $"Invalid value for '{part.PartParam}': content parts of type '{part.Type}' are not supported by model '{model}', which reads text only; " +
            (part.IsVideo
                ? "send text parts, or send the video to a model whose input_modalities (GET /models) include \"video\"."
                : "send text parts, or send the image to a model whose input_modalities (GET /models) include \"image\"."),
            part.PartParam);

    /// <summary>400: the prompt's image placeholders do not match the request's images (a placeholder typed in the text, say).</summary>
    public static ApiException Placeholders(string param, string message) =>
        ApiException.InvalidFormat($"Invalid value for '{param}': {message}", param);

    /// <summary>400: a video part while FFmpeg, which reads its frames, cannot be run (the same sentence video generation's 503 gives).</summary>
    public static ApiException NoVideoDecoder(ImagePart part, string missing) =>
        new(StatusCodes.Status400BadRequest,
            $"Invalid value for '{part.PartParam}': content parts of type '{part.Type}' are not supported: no video decoder is configured. " +
            $"Video frames are read with FFmpeg; {missing}",
            "invalid_request_error", part.PartParam, "video_decoder_unavailable");

    /// <summary>503: every video decode slot stayed busy for the whole wait.</summary>
    public static ApiException VideoDecodersBusy(ImagePart part, int slots, double seconds) =>
        new(StatusCodes.Status503ServiceUnavailable,
            $"The server is busy decoding other videos ({slots} at a time, Vision:MaxConcurrentVideoDecodes) and none finished within {seconds} s; retry later.",
            "server_error", part.Param, "video_decoders_busy")
        { RetryAfterSeconds = 1 };
}
