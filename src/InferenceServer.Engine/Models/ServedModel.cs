namespace InferenceServer.Engine.Models;

/// <summary>A name clients can send as <c>model</c>, bound to a loaded model and a default thinking mode.</summary>
public sealed record ServedModel(string Name, TextModel Model, bool ThinkingByDefault, bool CanThink);
