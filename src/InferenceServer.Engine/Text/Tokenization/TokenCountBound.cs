using System.Text;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// A lower bound on how many tokens a (normalized) text becomes, from its length alone, so a prompt far past the context
/// is refused without being tokenized. Sound only where every character reaches the BPE model (no pre-tokenizer drops
/// text) and becomes at least one symbol (the byte alphabet is in the vocabulary, byte fallback is complete, or unknown
/// characters each get an unknown token): then every token covers at most the longest vocabulary entry's length of the
/// model's input, and n units of input are at least ⌈n / longest⌉ tokens. <see cref="For"/> is null where a premise fails.
/// </summary>
internal sealed class TokenCountBound
{
    private readonly bool _unitsAreBytes;
    private readonly int _longest;

    private TokenCountBound(bool unitsAreBytes, int longest)
    {
        _unitsAreBytes = unitsAreBytes;
        _longest = longest;
    }

    public static TokenCountBound? For(BpeModel model, IReadOnlyList<PreTokenizerStep> preTokenizers)
    {
        if (model.Vocab.Count == 0 || preTokenizers.Any(s => s.RemovesText))
        {
            return null;
        }

        bool byteLevel = preTokenizers.Any(s => s.IsByteLevel);
        bool everyCharacterBecomesASymbol =
            (byteLevel && Enumerable.Range(0, 256).All(b => model.Vocab.ContainsKey(ByteLevelAlphabet.ToChar((byte)b).ToString())))
            || (model.Options.ByteFallback && model.HasEveryByteToken)
            || (model.Options.UnknownId is not null && !model.Options.FuseUnknown);
        if (!everyCharacterBecomesASymbol)
        {
            return null;
        }

        // A character the vocabulary lacks (an unknown or byte-fallback token) covers at most one character: 2 UTF-16 units.
        int longest = Math.Max(2, model.Vocab.Keys.Max(k => k.Length));
        return new TokenCountBound(byteLevel, longest);
    }

    /// <summary>At least this many tokens for normalized text (bytes under a byte-level pre-tokenizer, else UTF-16 units).</summary>
    public long AtLeast(string normalized) => AtLeastInPieceUnits(_unitsAreBytes ? Encoding.UTF8.GetByteCount(normalized) : normalized.Length);

    /// <summary>At least this many tokens for a pre-token of <paramref name="length"/> characters (already in the model's alphabet).</summary>
    public long AtLeastInPieceUnits(long length) => (length + _longest - 1) / _longest;
}
