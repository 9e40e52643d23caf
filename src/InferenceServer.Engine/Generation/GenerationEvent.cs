namespace InferenceServer.Engine.Generation;

/// <summary>What a running generation reports, in order: text deltas, then exactly one <see cref="GenerationFinished"/>.</summary>
public abstract record GenerationEvent;
