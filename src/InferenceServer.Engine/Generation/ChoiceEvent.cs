namespace InferenceServer.Engine.Generation;

/// <summary>An event of one of a request's choices (<c>n</c>): the choice's index and what it produced.</summary>
public readonly record struct ChoiceEvent(int Index, GenerationEvent Event);
