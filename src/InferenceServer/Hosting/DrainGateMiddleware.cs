using InferenceServer.Errors;
using InferenceServer.Security;

namespace InferenceServer.Hosting;

/// <summary>Counts API requests in flight; once shutdown has begun, refuses new ones with 503 and the envelope.</summary>
internal sealed class DrainGateMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ServerReadiness _readiness;
    private readonly InFlightRequests _inFlight;

    public DrainGateMiddleware(RequestDelegate next, ServerReadiness readiness, InFlightRequests inFlight)
    {
        _next = next;
        _readiness = readiness;
        _inFlight = inFlight;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (OpenPaths.IsOpen(context.Request.Path))
        {
            await _next(context);
            return;
        }

        if (_readiness.IsDraining)
        {
            context.Response.Headers.Connection = "close";
            context.Response.Headers.RetryAfter = "1";
            await ErrorWriter.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                "Server is shutting down: this replica takes no new requests; retry on another.", "server_error", null, "server_shutting_down");
            return;
        }

        _inFlight.Enter();
        try
        {
            await _next(context);
        }
        finally
        {
            _inFlight.Exit();
        }
    }
}
