using System.Collections.Concurrent;
using System.Text;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>The BPE model: turns one pre-token into ids by applying rank-ordered merges. Immutable and thread-safe.</summary>
internal sealed class BpeModel
{
    private const int CacheCapacity = 10_000;
    private const int MaxCachedWordLength = 256;
    private const int LongWordSymbols = 48;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<long, MergeRule> _merges;
    private readonly BpeOptions _options;
    private readonly int[] _byteFallbackIds;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private int _cacheCount;

    public BpeModel(Dictionary<string, int> vocab, Dictionary<long, MergeRule> merges, BpeOptions options)
    {
        _vocab = vocab;
        _merges = merges;
        _options = options;
        _byteFallbackIds = new int[256];
        for (int b = 0; b < 256; b++)
        {
            _byteFallbackIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
        }
    }

    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    public BpeOptions Options => _options;

    /// <summary>True when every byte has a <c>&lt;0xXX&gt;</c> token, so byte fallback covers any character.</summary>
    public bool HasEveryByteToken => Array.TrueForAll(_byteFallbackIds, id => id >= 0);

    public static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    public void Tokenize(string word, List<int> output)
    {
        if (_cache.TryGetValue(word, out int[]? cached))
        {
            output.AddRange(cached);
            return;
        }

        int first = output.Count;
        TokenizeUncached(word, output);
        if (word.Length <= MaxCachedWordLength && Volatile.Read(ref _cacheCount) < CacheCapacity
            && _cache.TryAdd(word, output.GetRange(first, output.Count - first).ToArray()))
        {
            Interlocked.Increment(ref _cacheCount);
        }
    }

    private void TokenizeUncached(string word, List<int> output)
    {
        if (_options.IgnoreMerges && _vocab.TryGetValue(word, out int whole))
        {
            output.Add(whole);
            return;
        }

        var symbols = new List<int>(word.Length);
        AddInitialSymbols(word, symbols);
        Merge(symbols);
        output.AddRange(symbols);
    }

    private void AddInitialSymbols(string word, List<int> symbols)
    {
        bool previousUnknown = false;
        int i = 0;
        while (i < word.Length)
        {
            int length = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            string symbol = word.Substring(i, length);
            i += length;
            if (_vocab.TryGetValue(symbol, out int id))
            {
                symbols.Add(id);
                previousUnknown = false;
                continue;
            }

            if (_options.ByteFallback && TryAddBytes(symbol, symbols))
            {
                previousUnknown = false;
                continue;
            }

            if (_options.UnknownId is int unk)
            {
                if (!(_options.FuseUnknown && previousUnknown))
                {
                    symbols.Add(unk);
                }

                previousUnknown = true;
            }
        }
    }

    private bool TryAddBytes(string symbol, List<int> symbols)
    {
        Span<byte> bytes = stackalloc byte[8];
        int count = Encoding.UTF8.GetBytes(symbol, bytes);
        for (int b = 0; b < count; b++)
        {
            if (_byteFallbackIds[bytes[b]] < 0)
            {
                return false;
            }
        }

        for (int b = 0; b < count; b++)
        {
            symbols.Add(_byteFallbackIds[bytes[b]]);
        }

        return true;
    }

    private void Merge(List<int> symbols)
    {
        if (symbols.Count > LongWordSymbols)
        {
            MergeLong(symbols);
            return;
        }

        while (symbols.Count > 1)
        {
            int bestIndex = -1;
            MergeRule best = default;
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                if (_merges.TryGetValue(PairKey(symbols[i], symbols[i + 1]), out MergeRule rule)
                    && (bestIndex < 0 || rule.Rank < best.Rank))
                {
                    bestIndex = i;
                    best = rule;
                }
            }

            if (bestIndex < 0)
            {
                return;
            }

            symbols[bestIndex] = best.MergedId;
            symbols.RemoveAt(bestIndex + 1);
        }
    }

    /// <summary>Heap-ordered merging (rank, then leftmost) for long pre-tokens, so a 10k-character run stays fast.</summary>
    private void MergeLong(List<int> symbols)
    {
        int count = symbols.Count;
        int[] ids = [.. symbols];
        int[] next = new int[count];
        int[] previous = new int[count];
        bool[] alive = new bool[count];
        var queue = new PriorityQueue<int, long>();
        for (int i = 0; i < count; i++)
        {
            next[i] = i + 1 < count ? i + 1 : -1;
            previous[i] = i - 1;
            alive[i] = true;
        }

        for (int i = 0; i + 1 < count; i++)
        {
            Enqueue(queue, ids, i, i + 1);
        }

        while (queue.TryDequeue(out int left, out long priority))
        {
            int right = alive[left] ? next[left] : -1;
            if (right < 0 || !_merges.TryGetValue(PairKey(ids[left], ids[right]), out MergeRule rule) || rule.Rank != (int)(priority >> 32))
            {
                continue;
            }

            ids[left] = rule.MergedId;
            alive[right] = false;
            next[left] = next[right];
            if (next[right] >= 0)
            {
                previous[next[right]] = left;
                Enqueue(queue, ids, left, next[left]);
            }

            if (previous[left] >= 0)
            {
                Enqueue(queue, ids, previous[left], left);
            }
        }

        symbols.Clear();
        for (int i = 0; i >= 0; i = next[i])
        {
            symbols.Add(ids[i]);
        }
    }

    private void Enqueue(PriorityQueue<int, long> queue, int[] ids, int left, int right)
    {
        if (_merges.TryGetValue(PairKey(ids[left], ids[right]), out MergeRule rule))
        {
            queue.Enqueue(left, ((long)rule.Rank << 32) | (uint)left);
        }
    }
}
