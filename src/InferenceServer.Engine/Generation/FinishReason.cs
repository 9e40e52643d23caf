namespace InferenceServer.Engine.Generation;

public enum FinishReason
{
    /// <summary>End-of-sequence token or a stop string.</summary>
    Stop,

    /// <summary><c>max_tokens</c> reached, or the context is full.</summary>
    Length,

    /// <summary>The model called tools.</summary>
    ToolCalls,

    /// <summary>The server ended the generation for lack of capacity: the drain deadline of a shutdown passed.</summary>
    InsufficientSystemResource,

    /// <summary>
    /// A fault interrupted the generation: a step's ONNX Runtime run (or the work around it) failed. What was generated
    /// before is kept; the requests still waiting are served by the next steps.
    /// </summary>
    Aborted,

    /// <summary>The client went away; nothing more is computed for it.</summary>
    Cancelled,
}
