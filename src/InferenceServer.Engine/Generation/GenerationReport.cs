namespace InferenceServer.Engine.Generation;

/// <summary>Raised once per generation when its compute loop has ended (also for cancelled ones).</summary>
public sealed record GenerationReport(FinishReason Reason, int PromptTokens, int CompletionTokens, TimeSpan Duration);
