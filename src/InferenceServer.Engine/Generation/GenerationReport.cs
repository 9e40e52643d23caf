namespace InferenceServer.Engine.Generation;

/// <summary>
/// Raised once per generation (each choice of a request with <c>n</c> &gt; 1) when its compute loop has ended, also for
/// cancelled ones. <see cref="PromptTokens"/> is 0 for the choices after the first, which share its prefill.
/// </summary>
public sealed record GenerationReport(FinishReason Reason, int PromptTokens, int CompletionTokens, TimeSpan Duration);
