using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.ModelForge.Tokenizer;

/// <summary>
/// Builds a byte-level BPE vocab (ids 0..255 = the byte symbols) and the merges that make each given word one token.
/// Each word gets a left-to-right merge chain; a word that other merges still split gets a repair chain appended
/// (appended merges rank last, so they never undo a word that already encodes to one token).
/// </summary>
internal sealed class ForgeMergeBuilder
{
    private const int MaxRepairRounds = 8;

    private readonly Dictionary<string, int> _vocab = new(StringComparer.Ordinal);
    private readonly List<string> _symbols = [];
    private readonly List<(string Left, string Right)> _merges = [];
    private readonly HashSet<(string, string)> _mergeSet = [];

    public ForgeMergeBuilder()
    {
        for (int b = 0; b < 256; b++)
        {
            AddSymbol(ByteLevelAlphabet.ToChar((byte)b).ToString());
        }
    }

    public IReadOnlyList<string> Symbols => _symbols;

    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    /// <summary>Adds merge chains for <paramref name="words"/> (raw text, e.g. " model") and repairs until each is one token.</summary>
    public void AddWords(IEnumerable<string> words)
    {
        var encoded = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string word in words)
        {
            string symbols = ByteLevelAlphabet.Encode(word);
            if (symbols.Length > 0 && seen.Add(symbols))
            {
                encoded.Add(symbols);
                AddChain(symbols.Select(c => c.ToString()).ToList());
            }
        }

        for (int round = 0; round < MaxRepairRounds; round++)
        {
            BpeModel model = BuildModel();
            bool repaired = false;
            var ids = new List<int>();
            foreach (string word in encoded)
            {
                ids.Clear();
                model.Tokenize(word, ids);
                if (ids.Count > 1)
                {
                    AddChain(ids.Select(id => _symbols[id]).ToList());
                    repaired = true;
                }
            }

            if (!repaired)
            {
                return;
            }
        }

        throw new InvalidOperationException("Forge merges did not converge: some words still encode to several tokens.");
    }

    private void AddChain(List<string> parts)
    {
        string current = parts[0];
        for (int i = 1; i < parts.Count; i++)
        {
            string next = parts[i];
            if (_mergeSet.Add((current, next)))
            {
                _merges.Add((current, next));
                AddSymbol(current + next);
            }

            current += next;
        }
    }

    private void AddSymbol(string symbol)
    {
        if (_vocab.TryAdd(symbol, _symbols.Count))
        {
            _symbols.Add(symbol);
        }
    }

    private BpeModel BuildModel()
    {
        var merges = new Dictionary<long, MergeRule>();
        for (int rank = 0; rank < _merges.Count; rank++)
        {
            (string left, string right) = _merges[rank];
            merges.TryAdd(
                BpeModel.PairKey(_vocab[left], _vocab[right]),
                new MergeRule(rank, _vocab[left + right]));
        }

        return new BpeModel(new Dictionary<string, int>(_vocab, StringComparer.Ordinal), merges, new BpeOptions(null, false, false, false));
    }
}
