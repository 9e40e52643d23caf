using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// The prefix cache's disk tier (DeepSeek's "context caching on disk"): every block the memory tier stores is also
/// written, by a background writer, to one file per block in a directory that belongs to one model build and KV
/// layout, so a restarted server still finds the KV of earlier prompts. Files are written under a temporary name and
/// renamed, carry the block's chain key, parent key, tokens and a SHA-256 of all of it, and are checked on every read:
/// a torn, truncated or foreign file is a miss and is deleted, never loaded. Least recently used files go first when
/// the directory outgrows its budget.
/// </summary>
internal sealed class PrefixCacheDisk : IDisposable
{
    private const uint Magic = 0x31564B49; // "IKV1"
    private const string Extension = ".kvblock";
    private const int HeaderBytes = 4 + 8 + 8 + 4 + 4;
    private const int HashBytes = 32;

    private readonly string _directory;
    private readonly long _budget;
    private readonly int _kvBytes;
    private readonly Dictionary<ulong, Entry> _index = [];
    private readonly Lock _gate = new();
    private readonly Channel<(ulong Key, ulong Parent, int[] Tokens, byte[] Kv, bool Replace)> _pending =
        Channel.CreateBounded<(ulong, ulong, int[], byte[], bool)>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Task _writer;
    private long _bytes;

    /// <param name="directory">This model build's directory (created if missing).</param>
    /// <param name="budgetBytes">Bytes of block files kept; the least recently used go first.</param>
    /// <param name="kvBytes">KV bytes of one block for this model's layout; files of any other size are foreign.</param>
    public PrefixCacheDisk(string directory, long budgetBytes, int kvBytes)
    {
        _directory = directory;
        _budget = budgetBytes;
        _kvBytes = kvBytes;
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var info = new FileInfo(file);
            if (info.Extension == Extension && ulong.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var key)
                && info.Length == FileBytes)
            {
                _index[key] = new Entry(info.Length, info.LastWriteTimeUtc);
                _bytes += info.Length;
            }
            else
            {
                // A temporary file a crash left behind, or something that is not a block of this layout.
                TryDelete(file);
            }
        }

        Evict();
        _writer = Task.Run(WriteAsync);
    }

    private int FileBytes => HeaderBytes + (PrefixCache.BlockTokens * 4) + _kvBytes + HashBytes;

    /// <summary>Whether a block with this chain key is on disk (its content is checked when read).</summary>
    public bool Contains(ulong key)
    {
        lock (_gate)
        {
            return _index.ContainsKey(key);
        }
    }

    /// <summary>
    /// Reads the block <paramref name="key"/> into <paramref name="kv"/> if its file is intact and holds exactly this
    /// parent and these tokens; a damaged file is deleted.
    /// </summary>
    public bool TryRead(ulong key, ulong parent, ReadOnlySpan<int> tokens, byte[] kv)
    {
        if (!Contains(key))
        {
            return false;
        }

        var path = PathOf(key);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            Forget(key, path);
            return false;
        }

        if (!Parse(bytes, key, parent, tokens, kv))
        {
            Forget(key, path);
            return false;
        }

        var now = DateTime.UtcNow;
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var entry))
            {
                _index[key] = entry with { LastUse = now };
            }
        }

        try
        {
            // Restarts rebuild the recency order from the files' times.
            File.SetLastWriteTimeUtc(path, now);
        }
        catch (IOException)
        {
            // Recency is a hint; the block was read.
        }

        return true;
    }

    /// <summary>
    /// Queues a block for writing (dropped when the writer is far behind: it is a cache). <paramref name="replace"/>:
    /// the block was just computed, so it replaces a file of the same key, which may be damaged (a file is only checked
    /// when read, and a read stops at the first miss of a prompt).
    /// </summary>
    public void Write(ulong key, ulong parent, int[] tokens, byte[] kv, bool replace)
    {
        if (replace || !Contains(key))
        {
            _pending.Writer.TryWrite((key, parent, tokens, kv, replace));
        }
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        _pending.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
    }

    private bool Parse(byte[] bytes, ulong key, ulong parent, ReadOnlySpan<int> tokens, byte[] kv)
    {
        if (bytes.Length != FileBytes || kv.Length != _kvBytes)
        {
            return false;
        }

        var body = bytes.AsSpan(0, bytes.Length - HashBytes);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(body.Length)))
        {
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(body) != Magic || BinaryPrimitives.ReadUInt64LittleEndian(body[4..]) != key
            || BinaryPrimitives.ReadUInt64LittleEndian(body[12..]) != parent || BinaryPrimitives.ReadInt32LittleEndian(body[20..]) != tokens.Length
            || BinaryPrimitives.ReadInt32LittleEndian(body[24..]) != _kvBytes)
        {
            return false;
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(body[(HeaderBytes + (i * 4))..]) != tokens[i])
            {
                return false;
            }
        }

        body[(HeaderBytes + (tokens.Length * 4))..].CopyTo(kv);
        return true;
    }

    private byte[] Format(ulong key, ulong parent, int[] tokens, byte[] kv)
    {
        var bytes = new byte[FileBytes];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], key);
        BinaryPrimitives.WriteUInt64LittleEndian(span[12..], parent);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], tokens.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], kv.Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[(HeaderBytes + (i * 4))..], tokens[i]);
        }

        kv.CopyTo(span[(HeaderBytes + (tokens.Length * 4))..]);
        SHA256.HashData(span[..^HashBytes], span[^HashBytes..]);
        return bytes;
    }

    private async Task WriteAsync()
    {
        await foreach (var (key, parent, tokens, kv, replace) in _pending.Reader.ReadAllAsync())
        {
            if ((!replace && Contains(key)) || tokens.Length != PrefixCache.BlockTokens || kv.Length != _kvBytes)
            {
                continue;
            }

            var path = PathOf(key);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                await File.WriteAllBytesAsync(temporary, Format(key, parent, tokens, kv)).ConfigureAwait(false);
                File.Move(temporary, path, overwrite: true);
            }
            catch (IOException)
            {
                // A full or read-only disk costs the cache a block, nothing else.
                TryDelete(temporary);
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                TryDelete(temporary);
                continue;
            }

            lock (_gate)
            {
                var added = !_index.ContainsKey(key);
                _index[key] = new Entry(FileBytes, DateTime.UtcNow);
                if (added)
                {
                    Interlocked.Add(ref _bytes, FileBytes);
                }
            }

            Evict();
        }
    }

    private void Evict()
    {
        while (Interlocked.Read(ref _bytes) > _budget)
        {
            ulong oldest;
            lock (_gate)
            {
                if (_index.Count == 0)
                {
                    return;
                }

                oldest = _index.MinBy(e => e.Value.LastUse).Key;
            }

            Forget(oldest, PathOf(oldest));
        }
    }

    private void Forget(ulong key, string path)
    {
        lock (_gate)
        {
            if (_index.Remove(key, out var entry))
            {
                Interlocked.Add(ref _bytes, -entry.Bytes);
            }
        }

        TryDelete(path);
    }

    private string PathOf(ulong key) => Path.Combine(_directory, key.ToString("x16", CultureInfo.InvariantCulture) + Extension);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Gone already, or held open elsewhere: the next start deletes it.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to delete.
        }
    }

    private readonly record struct Entry(long Bytes, DateTime LastUse);
}
