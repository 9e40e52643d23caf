using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// The KV cache of one model, sized by a memory budget rather than by rows × full context: per layer, one native
/// arena for keys and one for values, each holding <see cref="TotalTokens"/> positions. The arena is laid out as rows
/// of <see cref="Stride"/> positions, <c>[rows, kv_heads, stride, head_size]</c>, which is the one shape
/// GroupQueryAttention reads with past and present in one buffer (it reads each row's own length from seqlens_k and
/// uses the third dimension only as the row's stride). The scheduler sets the stride to the longest need among the
/// admitted sequences (prompt + max_tokens, rounded up) and <see cref="Relayout"/> moves the rows when it changes, so
/// rows × stride, not rows × context, has to fit the budget. A batch of the first B rows, or one row, is handed to
/// ONNX Runtime as a view on the same memory and bound as both past and present (GroupQueryAttention writes each new
/// token in place), so nothing is allocated or copied per step.
/// </summary>
internal sealed unsafe class KvBuffers : IDisposable
{
    private readonly byte*[] _keys;
    private readonly byte*[] _values;
    private readonly nint[] _blocks;
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly TensorElementType _type;
    private bool _disposed;

    /// <param name="layers">Decoder layers.</param>
    /// <param name="maxRows">The most rows (sequences) at once.</param>
    /// <param name="kvHeads">KV heads per layer.</param>
    /// <param name="capacity">The most positions one row may hold (the context).</param>
    /// <param name="totalTokens">Positions all rows together may hold (the budget), at least <paramref name="capacity"/>.</param>
    /// <param name="headSize">Elements per head.</param>
    /// <param name="type">Element type of the graph's KV inputs.</param>
    public KvBuffers(int layers, int maxRows, int kvHeads, int capacity, long totalTokens, int headSize, TensorElementType type)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalTokens, capacity);
        Layers = layers;
        MaxRows = maxRows;
        Capacity = capacity;
        TotalTokens = totalTokens;
        Stride = capacity;
        _kvHeads = kvHeads;
        _headSize = headSize;
        _type = type;
        ElementSize = type == TensorElementType.Float16 || type == TensorElementType.BFloat16 ? 2 : 4;
        var bytes = totalTokens * kvHeads * headSize * ElementSize;
        _keys = new byte*[layers];
        _values = new byte*[layers];
        _blocks = new nint[layers * 2];
        for (var l = 0; l < layers; l++)
        {
            _keys[l] = Allocate(bytes, out _blocks[2 * l]);
            _values[l] = Allocate(bytes, out _blocks[(2 * l) + 1]);
        }
    }

    public int Layers { get; }

    /// <summary>The most rows the scheduler may admit at once.</summary>
    public int MaxRows { get; }

    /// <summary>The most positions one row may hold: the model's context as configured.</summary>
    public int Capacity { get; }

    /// <summary>Positions all rows together may hold: the budget.</summary>
    public long TotalTokens { get; }

    /// <summary>Positions each row has room for in the current layout (the third dimension of every view).</summary>
    public int Stride { get; private set; }

    public int ElementSize { get; }

    /// <summary>KV heads per layer.</summary>
    public int KvHeads => _kvHeads;

    /// <summary>Elements per head.</summary>
    public int HeadSize => _headSize;

    /// <summary>Bytes of one row of one layer's keys (or values) in the current layout.</summary>
    public long RowBytes => (long)_kvHeads * Stride * _headSize * ElementSize;

    /// <summary>Bytes of the whole budget, all layers, keys and values (reported at start).</summary>
    public long TotalBytes => TotalTokens * BytesPerToken;

    /// <summary>Bytes the keys and values of one token take over all layers.</summary>
    public long BytesPerToken => 2L * Layers * _kvHeads * _headSize * ElementSize;

    /// <summary>Whether <paramref name="rows"/> rows of <paramref name="stride"/> positions fit the budget and the row cap.</summary>
    public bool Fits(int rows, int stride) => rows <= MaxRows && stride <= Capacity && (long)rows * stride <= TotalTokens;

    /// <summary>
    /// Lays the arena out as rows of <paramref name="stride"/> positions, moving the first
    /// <paramref name="lengths"/>[r] positions of each row r in [0, lengths.Length) to its place in the new layout.
    /// Growing moves from the last row and head down, shrinking from the first up, so no position is overwritten
    /// before it has moved.
    /// </summary>
    public void Relayout(int stride, ReadOnlySpan<int> lengths)
    {
        if (!Fits(lengths.Length, stride) || (long)lengths.Length * Stride > TotalTokens)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"{lengths.Length} rows of {Stride} or {stride} positions do not fit {TotalTokens} positions.");
        }

        foreach (var length in lengths)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(length, stride, nameof(lengths));
        }

        var old = Stride;
        if (stride == old)
        {
            return;
        }

        var units = lengths.Length * _kvHeads;
        for (var l = 0; l < Layers; l++)
        {
            foreach (var layer in (ReadOnlySpan<nint>)[(nint)_keys[l], (nint)_values[l]])
            {
                var p = (byte*)layer;
                for (var k = 0; k < units; k++)
                {
                    // Unit u = row × kv_heads + head starts at u × stride positions in either layout.
                    var u = stride > old ? units - 1 - k : k;
                    var span = (long)lengths[u / _kvHeads] * _headSize * ElementSize;
                    var unit = (long)_headSize * ElementSize;
                    Buffer.MemoryCopy(p + (u * old * unit), p + (u * stride * unit), span, span);
                }
            }
        }

        Stride = stride;
    }

    /// <summary>A view of rows [first, first + count) of one layer's keys or values.</summary>
    public OrtValue View(int layer, bool key, int first, int count)
    {
        var start = (key ? _keys[layer] : _values[layer]) + (first * RowBytes);
        long[] shape = [count, _kvHeads, Stride, _headSize];
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, _type, shape, (nint)start, RowBytes * count);
    }

    /// <summary>Copies the first <paramref name="length"/> positions of a row to another row (all layers, keys and values).</summary>
    public void MoveRow(int from, int to, int length)
    {
        for (var l = 0; l < Layers; l++)
        {
            CopyPositions(_keys[l], from, _keys[l], to, 0, length);
            CopyPositions(_values[l], from, _values[l], to, 0, length);
        }
    }

    /// <summary>Bytes one block of <paramref name="positions"/> tokens takes when saved by <see cref="Save"/>.</summary>
    public long BlockBytes(int positions) => BytesPerToken * positions;

    /// <summary>Saves positions [start, start + count) of a row (all layers) into <paramref name="block"/>.</summary>
    public void Save(int row, int start, int count, byte[] block)
    {
        fixed (byte* dst = block)
        {
            var cursor = dst;
            for (var l = 0; l < Layers; l++)
            {
                cursor = Pack(_keys[l], row, start, count, cursor);
                cursor = Pack(_values[l], row, start, count, cursor);
            }
        }
    }

    /// <summary>Writes a saved block back at positions [start, start + count) of a row.</summary>
    public void Load(int row, int start, int count, byte[] block)
    {
        fixed (byte* src = block)
        {
            var cursor = src;
            for (var l = 0; l < Layers; l++)
            {
                cursor = Unpack(cursor, _keys[l], row, start, count);
                cursor = Unpack(cursor, _values[l], row, start, count);
            }
        }
    }

    /// <summary>
    /// Writes positions [<paramref name="start"/>, start + <paramref name="count"/>) of a row of one layer's keys or
    /// values from a source laid out as kv_heads blocks of <paramref name="headStride"/> bytes (a
    /// <see cref="PrefillScratch"/> run row, or the new positions of a concat-KV graph's present).
    /// </summary>
    public void Write(int layer, bool key, int row, byte* source, long headStride, int count, int start = 0)
    {
        var target = key ? _keys[layer] : _values[layer];
        var span = (long)count * _headSize * ElementSize;
        for (var h = 0; h < _kvHeads; h++)
        {
            Buffer.MemoryCopy(source + (h * headStride), Position(target, row, h, start), span, span);
        }
    }

    private byte* Pack(byte* layer, int row, int start, int count, byte* cursor)
    {
        var span = (long)count * _headSize * ElementSize;
        for (var h = 0; h < _kvHeads; h++)
        {
            Buffer.MemoryCopy(Position(layer, row, h, start), cursor, span, span);
            cursor += span;
        }

        return cursor;
    }

    private byte* Unpack(byte* cursor, byte* layer, int row, int start, int count)
    {
        var span = (long)count * _headSize * ElementSize;
        for (var h = 0; h < _kvHeads; h++)
        {
            Buffer.MemoryCopy(cursor, Position(layer, row, h, start), span, span);
            cursor += span;
        }

        return cursor;
    }

    private void CopyPositions(byte* srcLayer, int srcRow, byte* dstLayer, int dstRow, int start, int count)
    {
        var span = (long)count * _headSize * ElementSize;
        for (var h = 0; h < _kvHeads; h++)
        {
            Buffer.MemoryCopy(Position(srcLayer, srcRow, h, start), Position(dstLayer, dstRow, h, start), span, span);
        }
    }

    private byte* Position(byte* layer, int row, int head, int position) =>
        layer + (row * RowBytes) + (((long)head * Stride + position) * _headSize * ElementSize);

    private static byte* Allocate(long bytes, out nint block)
    {
        // Zero-filled like GenAI's buffers (positions past a row's length must never hold a NaN a kernel could read),
        // through calloc: a large block comes from fresh mapped pages that the kernel zeroes when first touched, so the
        // budget costs resident memory only as rows are used. Aligned to 64 bytes by hand.
        block = (nint)NativeMemory.AllocZeroed((nuint)(bytes + 64));
        return (byte*)((block + 63) & ~(nint)63);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var block in _blocks)
        {
            NativeMemory.Free((void*)block);
        }
    }
}
