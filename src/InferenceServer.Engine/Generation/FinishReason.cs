namespace InferenceServer.Engine.Generation;

public enum FinishReason
{
    /// <summary>End-of-sequence token or a stop string.</summary>
    Stop,

    /// <summary><c>max_tokens</c> reached, or the context is full.</summary>
    Length,

    /// <summary>The model called tools.</summary>
    ToolCalls,

    /// <summary>The server ended the generation (shutdown deadline, resource limit).</summary>
    InsufficientSystemResource,

    /// <summary>The client went away; nothing more is computed for it.</summary>
    Cancelled,
}
