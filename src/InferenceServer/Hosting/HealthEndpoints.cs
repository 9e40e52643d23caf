namespace InferenceServer.Hosting;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: models loaded and not shutting down (else 503).</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/health/ready", (ServerReadiness readiness) => readiness.IsReady
            ? Results.Ok(new { status = "ready" })
            : Results.Json(new { status = "not_ready" }, statusCode: StatusCodes.Status503ServiceUnavailable)).ExcludeFromDescription();
    }
}
