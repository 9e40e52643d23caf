using System.Diagnostics;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// The engine's tracing source: spans for the wait for a generation slot, the whole generation and its prefill.
/// Costs nothing unless a listener (OpenTelemetry) subscribes to <see cref="SourceName"/>.
/// </summary>
public static class EngineActivities
{
    public const string SourceName = "InferenceServer.Engine";

    internal static readonly ActivitySource Source = new(SourceName);
}
