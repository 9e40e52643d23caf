namespace InferenceServer.Engine.Generation;

public sealed record GenerationFinished(FinishReason Reason, GenerationUsage Usage) : GenerationEvent;
