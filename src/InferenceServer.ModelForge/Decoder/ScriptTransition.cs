namespace InferenceServer.ModelForge.Decoder;

/// <summary>In mode <paramref name="Mode"/>, after <paramref name="CurrentToken"/> greedy decoding emits <paramref name="NextToken"/>.</summary>
public sealed record ScriptTransition(int Mode, int CurrentToken, int NextToken);
