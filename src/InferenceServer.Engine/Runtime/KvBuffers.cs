using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// The KV cache of all slots of one model: per layer, one preallocated, zero-filled native buffer for keys and one
/// for values, shaped <c>[slots, kv_heads, capacity, head_size]</c>. A batch of the first B rows, or one row, is
/// handed to ONNX Runtime as a view on the same memory and bound as both past and present (GroupQueryAttention
/// writes each new token in place), so nothing is allocated or copied per step.
/// </summary>
internal sealed unsafe class KvBuffers : IDisposable
{
    private readonly byte*[] _keys;
    private readonly byte*[] _values;
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly TensorElementType _type;
    private bool _disposed;

    public KvBuffers(int layers, int slots, int kvHeads, int capacity, int headSize, TensorElementType type)
    {
        Layers = layers;
        Slots = slots;
        Capacity = capacity;
        _kvHeads = kvHeads;
        _headSize = headSize;
        _type = type;
        ElementSize = type == TensorElementType.Float16 || type == TensorElementType.BFloat16 ? 2 : 4;
        RowBytes = (long)kvHeads * capacity * headSize * ElementSize;
        _keys = new byte*[layers];
        _values = new byte*[layers];
        for (var l = 0; l < layers; l++)
        {
            _keys[l] = Allocate(RowBytes * slots);
            _values[l] = Allocate(RowBytes * slots);
        }
    }

    public int Layers { get; }

    public int Slots { get; }

    public int Capacity { get; }

    public int ElementSize { get; }

    public long RowBytes { get; }

    /// <summary>Bytes all slots take together (reported at start).</summary>
    public long TotalBytes => RowBytes * Slots * Layers * 2;

    /// <summary>Bytes the keys and values of one token take over all layers.</summary>
    public long BytesPerToken => 2L * Layers * _kvHeads * _headSize * ElementSize;

    /// <summary>A view of rows [first, first + count) of one layer's keys or values.</summary>
    public OrtValue View(int layer, bool key, int first, int count)
    {
        var start = (key ? _keys[layer] : _values[layer]) + (first * RowBytes);
        long[] shape = [count, _kvHeads, Capacity, _headSize];
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
    /// Writes positions [0, <paramref name="count"/>) of a row of one layer's keys or values from a source laid out
    /// as kv_heads blocks of <paramref name="headStride"/> bytes (a <see cref="PrefillScratch"/> run row).
    /// </summary>
    public void Write(int layer, bool key, int row, byte* source, long headStride, int count)
    {
        var target = key ? _keys[layer] : _values[layer];
        var span = (long)count * _headSize * ElementSize;
        for (var h = 0; h < _kvHeads; h++)
        {
            Buffer.MemoryCopy(source + (h * headStride), Position(target, row, h, 0), span, span);
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
        layer + (row * RowBytes) + (((long)head * Capacity + position) * _headSize * ElementSize);

    private static byte* Allocate(long bytes)
    {
        var p = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        // Zero-filled like GenAI's buffers: positions past a row's length must never hold a NaN a kernel could read.
        NativeMemory.Clear(p, (nuint)bytes);
        return p;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var l = 0; l < Layers; l++)
        {
            NativeMemory.AlignedFree(_keys[l]);
            NativeMemory.AlignedFree(_values[l]);
        }
    }
}
