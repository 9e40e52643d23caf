namespace InferenceServer.Engine.Generation;

/// <summary>
/// How the next token is chosen. Temperature 0 is greedy. Penalties follow OpenAI's definition:
/// <c>logit[t] -= count[t] * frequency_penalty + (count[t] &gt; 0 ? presence_penalty : 0)</c> over the tokens generated so far.
/// </summary>
public sealed record SamplingOptions(
    float Temperature = 1f,
    float TopP = 1f,
    int TopK = 0,
    long? Seed = null,
    float FrequencyPenalty = 0f,
    float PresencePenalty = 0f)
{
    public static SamplingOptions Greedy { get; } = new(Temperature: 0f);

    public bool IsGreedy => Temperature <= 0f || TopK == 1;
}
