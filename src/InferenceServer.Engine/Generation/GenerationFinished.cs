namespace InferenceServer.Engine.Generation;

public sealed record GenerationFinished(FinishReason Reason, GenerationUsage Usage) : GenerationEvent
{
    /// <summary>The request's stop string that ended the output, when one did.</summary>
    public string? StopString { get; init; }
}
