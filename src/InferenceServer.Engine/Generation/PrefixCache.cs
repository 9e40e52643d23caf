using InferenceServer.Engine.Runtime;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// KV of earlier prompts in blocks of 64 tokens, keyed by the whole prefix up to the block (a hash chain from token
/// 0, checked token by token), evicted least-recently-used under a byte budget; with a <see cref="PrefixCacheDisk"/>,
/// every block is also kept on disk and a block missing from memory is looked up there. Used by the scheduler's
/// thread only.
/// </summary>
internal sealed class PrefixCache : IDisposable
{
    public const int BlockTokens = 64;
    private readonly Dictionary<ulong, LinkedListNode<Block>> _blocks = [];
    private readonly LinkedList<Block> _lru = new();
    private readonly long _budget;
    private readonly PrefixCacheDisk? _disk;
    private long _bytes;

    public PrefixCache(long budgetBytes, PrefixCacheDisk? disk = null)
    {
        _budget = budgetBytes;
        _disk = disk;
    }

    public long Bytes => _bytes;

    public int Count => _blocks.Count;

    /// <summary>
    /// Restores the longest cached prefix of <paramref name="prompt"/> into a row and returns its length in tokens
    /// (a multiple of 64, always leaving at least one prompt token to compute).
    /// </summary>
    public int Restore(int[] prompt, KvBuffers kv, int row)
    {
        var maxBlocks = (prompt.Length - 1) / BlockTokens;
        ulong key = 0;
        var restored = 0;
        for (var b = 0; b < maxBlocks; b++)
        {
            var parent = key;
            key = Chain(parent, prompt, b);
            if (_blocks.TryGetValue(key, out var node))
            {
                if (!node.Value.Matches(parent, prompt, b))
                {
                    break;
                }

                kv.Load(row, b * BlockTokens, BlockTokens, node.Value.Kv);
                _lru.Remove(node);
                _lru.AddFirst(node);
            }
            else
            {
                if (_disk is null || !_disk.Contains(key))
                {
                    break;
                }

                var tokens = prompt.AsSpan(b * BlockTokens, BlockTokens);
                var saved = new byte[kv.BlockBytes(BlockTokens)];
                if (!_disk.TryRead(key, parent, tokens, saved))
                {
                    break;
                }

                kv.Load(row, b * BlockTokens, BlockTokens, saved);
                Add(new Block(key, parent, tokens.ToArray(), saved));
            }

            restored += BlockTokens;
        }

        return restored;
    }

    /// <summary>Saves the full blocks of a prefilled prompt that are not cached yet.</summary>
    public void Insert(int[] prompt, KvBuffers kv, int row)
    {
        var blockBytes = kv.BlockBytes(BlockTokens);
        if (_budget < blockBytes)
        {
            return;
        }

        ulong key = 0;
        for (var b = 0; b < prompt.Length / BlockTokens; b++)
        {
            var parent = key;
            key = Chain(parent, prompt, b);
            if (_blocks.TryGetValue(key, out var existing))
            {
                _lru.Remove(existing);
                _lru.AddFirst(existing);
                _disk?.Write(key, parent, existing.Value.Tokens, existing.Value.Kv, replace: false);
                continue;
            }

            var block = new Block(key, parent, prompt.AsSpan(b * BlockTokens, BlockTokens).ToArray(), new byte[blockBytes]);
            kv.Save(row, b * BlockTokens, BlockTokens, block.Kv);
            Add(block);
            _disk?.Write(key, parent, block.Tokens, block.Kv, replace: true);
        }
    }

    /// <summary>Puts a block in memory, evicting the least recently used ones to stay within the budget.</summary>
    private void Add(Block block)
    {
        if (block.Kv.Length > _budget)
        {
            return;
        }

        while (_bytes + block.Kv.Length > _budget && _lru.Last is { } oldest)
        {
            _lru.RemoveLast();
            _blocks.Remove(oldest.Value.Key);
            _bytes -= oldest.Value.Kv.Length;
        }

        _blocks[block.Key] = _lru.AddFirst(block);
        _bytes += block.Kv.Length;
    }

    /// <summary>Writes the disk tier's queued blocks and stops its writer.</summary>
    public void Dispose() => _disk?.Dispose();

    private static ulong Chain(ulong parent, int[] prompt, int block)
    {
        // FNV-1a over the parent key and the block's tokens.
        var hash = 14695981039346656037UL ^ parent;
        foreach (var t in prompt.AsSpan(block * BlockTokens, BlockTokens))
        {
            hash = (hash ^ (uint)t) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>A block is only reused under the same parent and with the same tokens, so a hash collision cannot mix prompts.</summary>
    private sealed record Block(ulong Key, ulong Parent, int[] Tokens, byte[] Kv)
    {
        public bool Matches(ulong parent, int[] prompt, int block) =>
            Parent == parent && prompt.AsSpan(block * BlockTokens, BlockTokens).SequenceEqual(Tokens);
    }
}
