namespace InferenceServer.Engine.Models;

public sealed class ModelAliasOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary><c>enabled</c> or <c>disabled</c>; empty inherits the model's mode.</summary>
    public string? Thinking { get; set; }
}
