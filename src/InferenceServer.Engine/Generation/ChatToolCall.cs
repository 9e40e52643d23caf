namespace InferenceServer.Engine.Generation;

/// <summary>A function call made by the assistant in an earlier turn; <see cref="Arguments"/> is the JSON text.</summary>
public sealed record ChatToolCall(string Id, string Name, string Arguments);
