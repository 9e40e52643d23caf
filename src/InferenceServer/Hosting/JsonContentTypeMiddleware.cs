using InferenceServer.Errors;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace InferenceServer.Hosting;

/// <summary>
/// The Content-Type of requests to JSON routes. A missing or empty one is read as JSON: it names no other format,
/// curl and hand-written clients often leave it out, and the body is parsed strictly anyway (a body that is not JSON
/// still gets the 400 that says so). A header that does not parse, or names a charset other than UTF-8, is a 415 in
/// the error envelope that says which; other media types get MVC's 415, which the status-code page writes the same way.
/// </summary>
internal sealed class JsonContentTypeMiddleware
{
    private readonly RequestDelegate _next;

    public JsonContentTypeMiddleware(RequestDelegate next) => _next = next;

    public Task InvokeAsync(HttpContext context)
    {
        var accepts = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>();
        if (accepts is null || !accepts.ContentTypes.Contains("application/json", StringComparer.OrdinalIgnoreCase))
        {
            return _next(context);
        }

        var header = context.Request.ContentType;
        if (string.IsNullOrWhiteSpace(header))
        {
            context.Request.ContentType = "application/json";
            return _next(context);
        }

        if (!MediaTypeHeaderValue.TryParse(header, out var media) || media.MediaType.Length == 0)
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                $"The Content-Type header '{header}' is not a media type; send the body as JSON with Content-Type: application/json.",
                "invalid_request_error", "Content-Type", "unsupported_media_type");
        }

        if (media.Charset is { Length: > 0 } charset && !IsUtf8(charset.Value))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                $"The charset '{charset}' is not supported; send the JSON body as UTF-8 (Content-Type: application/json or application/json; charset=utf-8).",
                "invalid_request_error", "Content-Type", "unsupported_media_type");
        }

        return _next(context);
    }

    private static bool IsUtf8(string? charset) =>
        charset?.Trim('"') is { } c && (c.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || c.Equals("utf8", StringComparison.OrdinalIgnoreCase));
}
