namespace InferenceServer.Engine.Text.Tokenization.WordPiece;

/// <summary>
/// BERT's WordPiece tokenizer: <see cref="BertNormalizer"/>, <see cref="BertPreTokenizer"/>, then greedy
/// longest-match-first pieces (continuations prefixed <c>##</c>), a word with no full split becoming the unknown token,
/// wrapped in the classifier and separator tokens. Reads <c>tokenizer.json</c> or <c>vocab.txt</c>
/// (see <see cref="WordPieceFileReader"/>).
/// </summary>
public sealed class WordPieceTokenizer
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string[] _idToToken;
    private readonly BertNormalizer _normalizer;
    private readonly string _continuingPrefix;
    private readonly int _maxCharsPerWord;

    internal WordPieceTokenizer(Dictionary<string, int> vocab, BertNormalizer normalizer, WordPieceSpecialTokens special,
        string continuingPrefix = "##", int maxCharsPerWord = 100)
    {
        _lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _normalizer = normalizer;
        _continuingPrefix = continuingPrefix;
        _maxCharsPerWord = maxCharsPerWord;
        VocabSize = vocab.Count == 0 ? 0 : vocab.Values.Max() + 1;
        _idToToken = new string[VocabSize];
        foreach (var (token, id) in vocab)
        {
            _idToToken[id] = token;
        }

        UnknownId = special.UnknownId;
        ClassifierId = special.ClassifierId;
        SeparatorId = special.SeparatorId;
        PadId = special.PadId;
    }

    public int VocabSize { get; }

    public int UnknownId { get; }

    /// <summary><c>[CLS]</c>, first of every sequence.</summary>
    public int ClassifierId { get; }

    /// <summary><c>[SEP]</c>, last of every sequence.</summary>
    public int SeparatorId { get; }

    public int PadId { get; }

    public static WordPieceTokenizer Load(string folder) => WordPieceFileReader.Read(folder);

    /// <summary>The ids the model reads: <c>[CLS]</c>, the text's pieces, <c>[SEP]</c>.</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length / 3 + 2) { ClassifierId };
        AppendPieces(text, ids);
        ids.Add(SeparatorId);
        return [.. ids];
    }

    /// <summary>The text's pieces as token strings, without the special tokens (for tests and diagnostics).</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var ids = new List<int>();
        AppendPieces(text, ids);
        return [.. ids.Select(IdToToken)];
    }

    public string IdToToken(int id) => id >= 0 && id < _idToToken.Length ? _idToToken[id] ?? string.Empty : string.Empty;

    private void AppendPieces(string text, List<int> ids)
    {
        foreach (var word in BertPreTokenizer.Split(_normalizer.Normalize(text)))
        {
            AppendWord(word, ids);
        }
    }

    private void AppendWord(string word, List<int> ids)
    {
        if (CountRunes(word) > _maxCharsPerWord)
        {
            ids.Add(UnknownId);
            return;
        }

        var firstPiece = ids.Count;
        Span<char> buffer = stackalloc char[_continuingPrefix.Length + word.Length];
        _continuingPrefix.AsSpan().CopyTo(buffer);
        var start = 0;
        while (start < word.Length)
        {
            var end = word.Length;
            var found = -1;
            while (end > start)
            {
                scoped ReadOnlySpan<char> candidate;
                if (start == 0)
                {
                    candidate = word.AsSpan(0, end);
                }
                else
                {
                    word.AsSpan(start, end - start).CopyTo(buffer[_continuingPrefix.Length..]);
                    candidate = buffer[..(_continuingPrefix.Length + end - start)];
                }

                // Never cut a surrogate pair.
                if (!(end < word.Length && char.IsLowSurrogate(word[end])) && _lookup.TryGetValue(candidate, out var id))
                {
                    found = id;
                    break;
                }

                end--;
            }

            if (found < 0)
            {
                ids.RemoveRange(firstPiece, ids.Count - firstPiece);
                ids.Add(UnknownId);
                return;
            }

            ids.Add(found);
            start = end;
        }
    }

    private static int CountRunes(string word)
    {
        var count = 0;
        foreach (var c in word)
        {
            if (!char.IsLowSurrogate(c))
            {
                count++;
            }
        }

        return count;
    }
}
