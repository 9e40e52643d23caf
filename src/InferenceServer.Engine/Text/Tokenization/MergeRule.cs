namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>A BPE merge: its priority (lower merges first) and the id of the merged symbol.</summary>
internal readonly record struct MergeRule(int Rank, int MergedId);
