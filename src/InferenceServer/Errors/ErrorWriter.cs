using System.Text.Json;
using InferenceServer.Hosting;

namespace InferenceServer.Errors;

/// <summary>Writes the error envelope with its status. The one place that turns failures into bytes.</summary>
public static class ErrorWriter
{
    /// <summary>The server's one set of JSON options: relaxed escaping, as every other body.</summary>
    private static JsonSerializerOptions Options => WireJson.Options;

    public static Task WriteAsync(HttpContext context, int status, string message, string type, string? param, string? code)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var json = JsonSerializer.Serialize(Body(context.Request, status, message, type, param, code), Options);
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>The envelope object for the request's route: Anthropic's shape on the Anthropic paths, DeepSeek's elsewhere.</summary>
    public static object Body(HttpRequest request, int status, string message, string type, string? param, string? code) =>
        IsAnthropic(request)
            ? new AnthropicErrorEnvelope(new AnthropicErrorBody(AnthropicType(status), message))
            : new ErrorEnvelope(new ErrorBody(message, type, param, code));

    /// <summary>Requests to the Anthropic-format endpoint get Anthropic's error shape.</summary>
    public static bool IsAnthropic(HttpRequest request) =>
        request.Path.StartsWithSegments("/anthropic") || request.Path.StartsWithSegments("/v1/messages");

    private static string AnthropicType(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "authentication_error",
        StatusCodes.Status402PaymentRequired => "billing_error",
        StatusCodes.Status403Forbidden => "permission_error",
        StatusCodes.Status404NotFound => "not_found_error",
        StatusCodes.Status413PayloadTooLarge => "request_too_large",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        StatusCodes.Status503ServiceUnavailable => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };


    public static Task WriteAsync(HttpContext context, ApiException e)
    {
        if (e.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, e.Status, e.Message, e.Type, e.Param, e.Code);
    }

    /// <summary>The envelope for a bare status (404 route, 405 method, 415 media type).</summary>
    public static Task WriteStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var (message, type) = status switch
        {
            StatusCodes.Status404NotFound => ($"No route for {context.Request.Method} {context.Request.Path}.", "invalid_request_error"),
            StatusCodes.Status405MethodNotAllowed => ($"{context.Request.Method} is not allowed on {context.Request.Path}.", "invalid_request_error"),
            StatusCodes.Status415UnsupportedMediaType => (UnsupportedMediaType(context.Request), "invalid_request_error"),
            _ => ($"Request failed with status {status}.", status >= 500 ? "server_error" : "invalid_request_error"),
        };
        return WriteAsync(context, status, message, type, null, type);
    }

    // Routing answers an unaccepted Content-Type with its own 415 endpoint, which carries no metadata of the route.
    private static string UnsupportedMediaType(HttpRequest request) =>
        $"Content-Type '{request.ContentType}' is not accepted here: send the body as JSON with Content-Type: application/json " +
        "(the image edit and variation routes take multipart/form-data).";
}
