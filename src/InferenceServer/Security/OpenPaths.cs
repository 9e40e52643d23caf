namespace InferenceServer.Security;

/// <summary>
/// Routes that need no API key and count against no rate limit: health probes (load balancers and kubelets carry no
/// key), Prometheus <c>/metrics</c>, and the API description (<c>/docs</c>, <c>/openapi</c>: the same text as the
/// committed <c>openapi.yaml</c>, nothing secret), and the playground page itself (<c>/</c>, <c>/playground</c>: static
/// files; the API calls it makes carry the key the user types in).
/// </summary>
internal static class OpenPaths
{
    public static bool IsHealth(PathString path) => path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    public static bool IsOpen(PathString path) =>
        IsHealth(path)
        || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        || path == "/"
        || path.StartsWithSegments("/playground", StringComparison.OrdinalIgnoreCase);
}
