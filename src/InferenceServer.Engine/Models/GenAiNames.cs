namespace InferenceServer.Engine.Models;

/// <summary>Input/output names of a GenAI decoder; the KV names contain <c>%d</c> for the layer index.</summary>
public sealed record GenAiNames(
    string InputIds,
    string AttentionMask,
    string PositionIds,
    string PastKey,
    string PastValue,
    string Logits,
    string PresentKey,
    string PresentValue)
{
    public static string ForLayer(string pattern, int layer) =>
        pattern.Replace("%d", layer.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
