namespace InferenceServer.Engine.Generation;

/// <summary>A token id and its log-probability.</summary>
public readonly record struct TokenLogprob(int Token, float Logprob);
