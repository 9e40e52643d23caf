using System.Text;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// The Unigram model of tokenizer.json, as Hugging Face's optimized Viterbi pass runs it: the best-scoring split of a
/// pre-token into vocab pieces, a character no single piece covers scoring <c>min score − 10</c> as unknown, runs of
/// unknowns fused into one, and an unknown that <c>byte_fallback</c> can spell as <c>&lt;0xNN&gt;</c> pieces spelled so.
/// Work is linear in the input: each position looks at most one vocab-piece length ahead.
/// </summary>
internal sealed class UnigramModel
{
    private const double UnknownPenalty = 10.0;

    private readonly double[] _scores;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly PieceTrie _trie = new();
    private readonly int[] _byteIds;
    private readonly double _unknownScore;

    public UnigramModel(IReadOnlyList<(string Piece, double Score)> vocab, int? unknownId, bool byteFallback)
    {
        if (vocab.Count == 0)
        {
            throw new FormatException("the Unigram vocab is empty");
        }

        if (unknownId is { } unk && (unk < 0 || unk >= vocab.Count))
        {
            throw new FormatException($"unk_id {unk} is outside the vocab of {vocab.Count} pieces");
        }

        Pieces = new string[vocab.Count];
        _scores = new double[vocab.Count];
        var ids = new Dictionary<string, int>(vocab.Count, StringComparer.Ordinal);
        double minScore = double.PositiveInfinity;
        for (int id = 0; id < vocab.Count; id++)
        {
            (string piece, double score) = vocab[id];
            Pieces[id] = piece;
            _scores[id] = score;
            ids[piece] = id;
            minScore = Math.Min(minScore, score);
        }

        foreach ((string piece, int id) in ids)
        {
            _trie.Add(piece, id);
        }

        _lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _unknownScore = minScore - UnknownPenalty;
        UnknownId = unknownId;
        _byteIds = new int[256];
        for (int b = 0; b < 256; b++)
        {
            _byteIds[b] = byteFallback && ids.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
        }
    }

    /// <summary>The pieces by id.</summary>
    public string[] Pieces { get; }

    public int? UnknownId { get; }

    /// <summary>Looks up a piece's id.</summary>
    public bool TryGetId(ReadOnlySpan<char> piece, out int id) => _lookup.TryGetValue(piece, out id);

    /// <summary>Appends the ids of <paramref name="text"/>'s best split to <paramref name="output"/>.</summary>
    public void Encode(string text, List<int> output)
    {
        if (text.Length == 0)
        {
            return;
        }

        int size = text.Length;
        var bestScore = new double[size + 1];
        var startsAt = new int[size + 1];
        var bestId = new int[size + 1];
        Array.Fill(startsAt, -1);
        var prefixes = new List<(int Length, int Id)>();
        int start = 0;
        while (start < size)
        {
            double scoreHere = bestScore[start];
            int charLength = char.IsHighSurrogate(text[start]) && start + 1 < size && char.IsLowSurrogate(text[start + 1]) ? 2 : 1;
            bool hasSingle = false;
            prefixes.Clear();
            _trie.Prefixes(text.AsSpan(start), prefixes);
            foreach ((int length, int id) in prefixes)
            {
                Relax(start + length, scoreHere + _scores[id], start, id);
                hasSingle |= length == charLength;
            }

            if (!hasSingle)
            {
                int unk = UnknownId ?? throw new FormatException(
                    "the text has a character the vocab lacks, and the Unigram model has no unk_id");
                Relax(start + charLength, scoreHere + _unknownScore, start, unk);
            }

            start += charLength;
        }

        int firstNew = output.Count;
        int end = size;
        int fusedEnd = -1;
        while (end > 0)
        {
            int from = startsAt[end];
            if (bestId[end] == UnknownId)
            {
                fusedEnd = fusedEnd < 0 ? end : fusedEnd;
            }
            else
            {
                FlushUnknown(text, end, ref fusedEnd, output);
                output.Add(bestId[end]);
            }

            end = from;
        }

        FlushUnknown(text, 0, ref fusedEnd, output);
        output.Reverse(firstNew, output.Count - firstNew);

        void Relax(int target, double candidate, int from, int id)
        {
            if (startsAt[target] < 0 || candidate > bestScore[target])
            {
                bestScore[target] = candidate;
                startsAt[target] = from;
                bestId[target] = id;
            }
        }
    }

    /// <summary>Emits the fused unknown run <c>[start, fusedEnd)</c> (reversed, as the caller reverses at the end).</summary>
    private void FlushUnknown(string text, int start, ref int fusedEnd, List<int> output)
    {
        if (fusedEnd < 0)
        {
            return;
        }

        ReadOnlySpan<char> run = text.AsSpan(start, fusedEnd - start);
        fusedEnd = -1;
        if (_lookup.TryGetValue(run, out int id))
        {
            output.Add(id);
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(run.ToArray());
        if (bytes.Length > 0 && Array.TrueForAll(bytes, b => _byteIds[b] >= 0))
        {
            for (int i = bytes.Length - 1; i >= 0; i--)
            {
                output.Add(_byteIds[bytes[i]]);
            }

            return;
        }

        output.Add(UnknownId!.Value);
    }
}
