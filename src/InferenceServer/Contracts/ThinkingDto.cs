namespace InferenceServer.Contracts;

public sealed class ThinkingDto
{
    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string? Type { get; set; }

    /// <summary>Anthropic's thinking budget (also sent to chat by some SDKs): accepted and ignored, as DeepSeek does.</summary>
    public int? BudgetTokens { get; set; }
}
