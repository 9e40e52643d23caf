namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>The switches of tokenizer.json's BPE model.</summary>
internal sealed record BpeOptions(int? UnknownId, bool FuseUnknown, bool ByteFallback, bool IgnoreMerges);
