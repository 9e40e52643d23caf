namespace InferenceServer.Contracts.Anthropic;

/// <summary>Anthropic's <c>output_config</c>; as on DeepSeek's Anthropic API only <c>effort</c> is read, the rest is ignored.</summary>
public sealed class AnthropicOutputConfig
{
    /// <summary><c>none</c>, <c>low</c>, <c>high</c>, <c>max</c>, or a name mapped onto them (<c>medium</c> → <c>high</c>, …).</summary>
    public string? Effort { get; set; }
}
