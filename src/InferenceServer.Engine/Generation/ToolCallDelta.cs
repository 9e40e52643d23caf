namespace InferenceServer.Engine.Generation;

/// <summary>
/// Part of a tool call parsed from the model's output, OpenAI-delta style: the first delta of call <see cref="Index"/>
/// carries <see cref="Id"/> and <see cref="Name"/>; later ones carry fragments of the <see cref="Arguments"/> JSON text.
/// </summary>
public sealed record ToolCallDelta(int Index, string? Id, string? Name, string Arguments) : GenerationEvent;
