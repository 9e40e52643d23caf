using Microsoft.Extensions.Logging;

namespace InferenceServer.Engine.Runtime;

public sealed partial class SessionFactory
{
    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Graph {Graph}: ONNX Runtime placed {Placement}")]
    private static partial void LogPlacement(ILogger logger, string graph, string placement);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Graph {Graph}: ONNX Runtime did not report where it placed the nodes: {Reason}")]
    private static partial void LogPlacementUnknown(ILogger logger, string graph, string reason);
}
