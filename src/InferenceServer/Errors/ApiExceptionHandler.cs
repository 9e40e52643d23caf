using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Generation.Constraints;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Text.Templates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;

namespace InferenceServer.Errors;

/// <summary>
/// Maps exceptions to the error envelope by type (never by message text). Unknown faults become a 500 without a
/// stack trace; a client that went away is not an error and gets nothing.
/// </summary>
internal sealed partial class ApiExceptionHandler : IExceptionHandler
{
    private readonly ILogger<ApiExceptionHandler> _logger;

    public ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) => _logger = logger;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // A reset can surface (reading the body) before Kestrel has signalled RequestAborted: both mean nobody reads
        // an answer, so nothing is written and nothing is logged above Debug.
        if (httpContext.RequestAborted.IsCancellationRequested || exception is ConnectionResetException)
        {
            LogClientGone(_logger, exception.GetType().Name);
            httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            httpContext.Abort();
            return true;
        }

        if (httpContext.Response.HasStarted)
        {
            LogAfterStart(_logger, exception);
            return true;
        }

        try
        {
            await WriteAsync(httpContext, exception);
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client left while the envelope was being written: there is no one to tell.
            LogClientGone(_logger, nameof(OperationCanceledException));
        }

        return true;
    }

    private async Task WriteAsync(HttpContext httpContext, Exception exception)
    {
        switch (exception)
        {
            case ApiException api:
                await ErrorWriter.WriteAsync(httpContext, api);
                break;
            case QueueFullException full:
                // The one Retry-After path: ErrorWriter writes it for every ApiException that carries one.
                await ErrorWriter.WriteAsync(httpContext, new ApiException(StatusCodes.Status503ServiceUnavailable, full.Message, ErrorEnvelopes.OverloadedType)
                {
                    RetryAfterSeconds = (int)Math.Ceiling(full.RetryAfter.TotalSeconds),
                });
                break;
            case QueueTimeoutException timeout:
                await ErrorWriter.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, timeout.Message, ErrorEnvelopes.OverloadedType, null, ErrorEnvelopes.OverloadedType);
                break;
            case TemplateException template:
                await ErrorWriter.WriteAsync(httpContext, StatusCodes.Status400BadRequest,
                    $"The model's chat template rejected the messages: {template.Message}", "invalid_request_error", "messages", "invalid_request_error");
                break;
            case SchemaException schema:
                await ErrorWriter.WriteAsync(httpContext, StatusCodes.Status400BadRequest,
                    $"Invalid JSON schema in response_format: {schema.Message} (keyword '{schema.Keyword}').", "invalid_request_error", "response_format", "invalid_request_error");
                break;
            case Security.RemoteFetchRefusedException refused:
                await ErrorWriter.WriteAsync(httpContext, StatusCodes.Status400BadRequest, refused.Message, "invalid_request_error", "image_url", "remote_fetch_refused");
                break;
            case BadHttpRequestException bad:
                await ErrorWriter.WriteAsync(httpContext, bad.StatusCode, bad.Message, "invalid_request_error", null, "invalid_request_error");
                break;
            case ModelLoadException:
            default:
                LogUnhandled(_logger, exception);
                await ErrorWriter.WriteAsync(httpContext, StatusCodes.Status500InternalServerError,
                    "The server had an error while processing your request.", "server_error", null, "server_error");
                break;
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled error while serving a request")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "The client went away before the response ({ExceptionType}); nothing was written")]
    private static partial void LogClientGone(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Error after the response had started; the stream was ended")]
    private static partial void LogAfterStart(ILogger logger, Exception exception);
}
