namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// A character trie over a Unigram vocab: from one position it yields every piece that starts there, shortest first
/// (the order Hugging Face's trie gives its Viterbi pass, which matters when two paths score the same).
/// </summary>
internal sealed class PieceTrie
{
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<int> _pieceAt = [-1];

    /// <summary>Adds <paramref name="piece"/>; a later piece with the same text replaces an earlier one.</summary>
    public void Add(string piece, int id)
    {
        int node = 0;
        foreach (char c in piece)
        {
            long key = Key(node, c);
            if (!_edges.TryGetValue(key, out int child))
            {
                child = _pieceAt.Count;
                _pieceAt.Add(-1);
                _edges.Add(key, child);
            }

            node = child;
        }

        if (node != 0)
        {
            _pieceAt[node] = id;
        }
    }

    /// <summary>Appends (length in chars, id) for each piece that prefixes <paramref name="text"/>, shortest first.</summary>
    public void Prefixes(ReadOnlySpan<char> text, List<(int Length, int Id)> output)
    {
        int node = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!_edges.TryGetValue(Key(node, text[i]), out node))
            {
                return;
            }

            int id = _pieceAt[node];
            if (id >= 0)
            {
                output.Add((i + 1, id));
            }
        }
    }

    private static long Key(int node, char c) => ((long)node << 16) | c;
}
