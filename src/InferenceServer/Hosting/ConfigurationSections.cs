using InferenceServer.Engine.Runtime;
using InferenceServer.Security;

namespace InferenceServer.Hosting;

/// <summary>
/// Every configuration section the server binds, with the options type it binds to: the one list both the binding
/// and the deployment-manifest tests read, so a manifest cannot name a key the server ignores.
/// <c>Models</c> binds at the root into <see cref="ModelCatalogOptions"/>.
/// </summary>
public static class ConfigurationSections
{
    public static IReadOnlyDictionary<string, Type> Bound { get; } = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["Server"] = typeof(ServerOptions),
        ["Runtime"] = typeof(ExecutionProfileOptions),
        ["Auth"] = typeof(ApiKeyOptions),
        ["RateLimits"] = typeof(RateLimitOptions),
        ["Limits"] = typeof(RequestLimitsOptions),
        ["Cors"] = typeof(CorsSettings),
        ["RemoteFetch"] = typeof(RemoteFetchOptions),
        ["Shutdown"] = typeof(ShutdownOptions),
        ["Telemetry"] = typeof(TelemetryOptions),
        ["Playground"] = typeof(Playground.PlaygroundOptions),
        ["Metrics"] = typeof(Metrics.MetricsOptions),
        ["Videos"] = typeof(Videos.VideoOptions),
    };

    /// <summary>Sections read by libraries rather than our options (Serilog's own configuration, ASP.NET Core's host keys).</summary>
    public static IReadOnlyList<string> Passthrough { get; } = ["Serilog", "Logging", "AllowedHosts", "Kestrel"];
}
