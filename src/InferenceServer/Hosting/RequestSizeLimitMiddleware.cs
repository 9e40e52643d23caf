using InferenceServer.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace InferenceServer.Hosting;

/// <summary>
/// Sets the body limit for the route. A declared <c>Content-Length</c> over it is refused before any byte is read; a
/// chunked body that grows past it makes Kestrel throw a 413 <see cref="BadHttpRequestException"/>, which the error
/// handler writes as the envelope.
/// </summary>
internal sealed class RequestSizeLimitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RequestLimitsOptions _limits;
    private readonly LargeBodyMemory _largeBodies;

    public RequestSizeLimitMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> limits, LargeBodyMemory largeBodies)
    {
        _next = next;
        _limits = limits.Value;
        _largeBodies = largeBodies;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var (bytes, key) = _limits.ForPath(context.Request.Path);
        if (context.Request.ContentLength > bytes)
        {
            return ErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"The request body is {context.Request.ContentLength} bytes; this route accepts at most {bytes} ({key}).",
                "invalid_request_error", null, "request_too_large");
        }

        _largeBodies.Note(context.Request.ContentLength ?? 0);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = bytes;
        }

        return _next(context);
    }
}
