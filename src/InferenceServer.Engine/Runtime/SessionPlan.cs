namespace InferenceServer.Engine.Runtime;

/// <summary>What the session factory decided for a profile: the provider that really runs, and why.</summary>
public sealed record SessionPlan(string RequestedProfile, string EffectiveProvider, bool FellBackToCpu, string? FallbackReason);
