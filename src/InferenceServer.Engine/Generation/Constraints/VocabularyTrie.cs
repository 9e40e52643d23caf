using System.Runtime.CompilerServices;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// The vocabulary's byte strings as a trie (first-child / next-sibling arrays), built once per tokenizer, so a
/// constrained step feeds each shared prefix to the grammar once and skips a whole subtree at the first bad byte.
/// Special tokens and the think tags are left out: the grammar admits those by id.
/// </summary>
internal sealed class VocabularyTrie
{
    private static readonly ConditionalWeakTable<BpeTokenizer, VocabularyTrie> Cache = [];

    private VocabularyTrie(BpeTokenizer tokenizer)
    {
        var excluded = new HashSet<int>();
        foreach (var tag in (string[])["<think>", "</think>"])
        {
            if (tokenizer.TokenToId(tag) is { } id)
            {
                excluded.Add(id);
            }
        }

        var firstChild = new List<int> { -1 };
        var nextSibling = new List<int> { -1 };
        var bytes = new List<byte> { 0 };
        var tokensAt = new List<List<int>?> { null };
        var specials = new List<int>();
        var maxLength = 0;
        for (var id = 0; id < tokenizer.VocabSize; id++)
        {
            var tokenBytes = tokenizer.GetTokenBytes(id);
            if (tokenizer.IsSpecial(id))
            {
                specials.Add(id);
                continue;
            }

            if (tokenBytes.Length == 0 || excluded.Contains(id))
            {
                continue;
            }

            maxLength = Math.Max(maxLength, tokenBytes.Length);
            var node = 0;
            foreach (var b in tokenBytes)
            {
                var child = firstChild[node];
                while (child >= 0 && bytes[child] != b)
                {
                    child = nextSibling[child];
                }

                if (child < 0)
                {
                    child = bytes.Count;
                    bytes.Add(b);
                    firstChild.Add(-1);
                    nextSibling.Add(firstChild[node]);
                    tokensAt.Add(null);
                    firstChild[node] = child;
                }

                node = child;
            }

            (tokensAt[node] ??= []).Add(id);
        }

        FirstChild = [.. firstChild];
        NextSibling = [.. nextSibling];
        Bytes = [.. bytes];
        TokenStart = new int[bytes.Count + 1];
        var flat = new List<int>();
        for (var n = 0; n < bytes.Count; n++)
        {
            TokenStart[n] = flat.Count;
            if (tokensAt[n] is { } ids)
            {
                flat.AddRange(ids);
            }
        }

        TokenStart[bytes.Count] = flat.Count;
        Tokens = [.. flat];
        SpecialTokens = [.. specials];
        MaxTokenLength = maxLength;
    }

    public int[] FirstChild { get; }

    public int[] NextSibling { get; }

    public byte[] Bytes { get; }

    /// <summary>Tokens ending at node n are <c>Tokens[TokenStart[n]..TokenStart[n + 1]]</c>.</summary>
    public int[] TokenStart { get; }

    public int[] Tokens { get; }

    public int[] SpecialTokens { get; }

    public int MaxTokenLength { get; }

    public int NodeCount => Bytes.Length;

    public static VocabularyTrie For(BpeTokenizer tokenizer) => Cache.GetValue(tokenizer, static t => new VocabularyTrie(t));
}
