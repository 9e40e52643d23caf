using System.Diagnostics;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// The engine's tracing source: spans for a request's wait in the admission queue and its whole generation (see <see cref="GenerationTrace"/>).
/// Costs nothing unless a listener (OpenTelemetry) subscribes to <see cref="SourceName"/>.
/// </summary>
public static class EngineActivities
{
    public const string SourceName = "InferenceServer.Engine";

    internal static readonly ActivitySource Source = new(SourceName);
}
