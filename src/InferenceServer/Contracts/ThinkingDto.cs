namespace InferenceServer.Contracts;

public sealed class ThinkingDto
{
    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string? Type { get; set; }
}
