namespace InferenceServer.Contracts;

/// <summary>DeepSeek's <c>safety_check</c>: <c>{"level": "high"|"low"}</c>. Accepted; no content-safety model runs here.</summary>
public sealed class SafetyCheckDto
{
    /// <summary><c>high</c> or <c>low</c>.</summary>
    public string? Level { get; set; }
}
