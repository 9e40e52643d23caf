namespace InferenceServer.ModelForge.Tokenizer;

/// <summary>What <see cref="ForgeTokenizerWriter.Write"/> produced: the vocab size and the ids of the special tokens.</summary>
public sealed record ForgeVocabulary(int VocabSize, int BosId, int EosId, int PadId, IReadOnlyDictionary<string, int> SpecialTokenIds);
