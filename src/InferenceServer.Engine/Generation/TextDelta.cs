namespace InferenceServer.Engine.Generation;

/// <summary>New output text: the part inside the think block goes to <see cref="Reasoning"/>, the rest to <see cref="Content"/>.</summary>
public sealed record TextDelta(string Reasoning, string Content) : GenerationEvent;
