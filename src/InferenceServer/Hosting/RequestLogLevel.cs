using InferenceServer.Security;
using Serilog.Events;

namespace InferenceServer.Hosting;

/// <summary>
/// The level of the one line per request: health probes at Debug (kubelets ask every few seconds), a 503 while
/// loading or draining at Warning, other 5xx and unhandled exceptions at Error, the rest at Information.
/// </summary>
internal static class RequestLogLevel
{
    public static LogEventLevel Get(HttpContext context, double elapsedMs, Exception? exception)
    {
        var status = context.Response.StatusCode;
        if (exception is not null || (status >= 500 && status != StatusCodes.Status503ServiceUnavailable))
        {
            return LogEventLevel.Error;
        }

        if (OpenPaths.IsHealth(context.Request.Path))
        {
            return LogEventLevel.Debug;
        }

        return status == StatusCodes.Status503ServiceUnavailable ? LogEventLevel.Warning : LogEventLevel.Information;
    }
}
