using Microsoft.Extensions.Options;
using Prometheus;

namespace InferenceServer.Metrics;

/// <summary>
/// <c>/metrics</c>: prometheus-net's endpoint over the server's registry, or, with <see cref="MetricsOptions.VllmNames"/>,
/// that registry followed by the vLLM-named series, in Prometheus text format.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void Map(WebApplication app)
    {
        var registry = app.Services.GetRequiredService<CollectorRegistry>();
        if (!app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.VllmNames)
        {
            app.MapMetrics(Path, registry);
            return;
        }

        var vllm = app.Services.GetRequiredService<VllmExposition>();
        app.MapGet(Path, async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, ExpositionFormat.PrometheusText, context.RequestAborted);
            await vllm.WriteAsync(context.Response.Body, context.RequestAborted);
        });
    }
}
