using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// KV buffers for one batched prefill run of fresh prompts, shaped <c>[batch, kv_heads, S, head_size]</c> for the
/// run's padded length S (batch × S never exceeds the tokens it was sized for). GroupQueryAttention takes several new
/// tokens per row only as a first prompt (total_sequence_length == S, nothing past), so the run writes here and each
/// row's real positions are copied into its KV row after.
/// </summary>
internal sealed unsafe class PrefillScratch : IDisposable
{
    private readonly byte*[] _keys;
    private readonly byte*[] _values;
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly int _elementSize;
    private readonly TensorElementType _type;
    private bool _disposed;

    public PrefillScratch(int layers, int tokens, int kvHeads, int headSize, TensorElementType type, int elementSize)
    {
        Tokens = tokens;
        _kvHeads = kvHeads;
        _headSize = headSize;
        _elementSize = elementSize;
        _type = type;
        var bytes = (nuint)((long)tokens * kvHeads * headSize * elementSize);
        _keys = new byte*[layers];
        _values = new byte*[layers];
        for (var l = 0; l < layers; l++)
        {
            _keys[l] = (byte*)NativeMemory.AlignedAlloc(bytes, 64);
            _values[l] = (byte*)NativeMemory.AlignedAlloc(bytes, 64);
            NativeMemory.Clear(_keys[l], bytes);
            NativeMemory.Clear(_values[l], bytes);
        }
    }

    /// <summary>Batch × padded length the buffers hold.</summary>
    public int Tokens { get; }

    /// <summary>A view of one layer's keys or values for a run of <paramref name="batch"/> rows of <paramref name="length"/> positions.</summary>
    public OrtValue View(int layer, bool key, int batch, int length)
    {
        long[] shape = [batch, _kvHeads, length, _headSize];
        var bytes = (long)batch * _kvHeads * length * _headSize * _elementSize;
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, _type, shape, (nint)(key ? _keys[layer] : _values[layer]), bytes);
    }

    /// <summary>Copies the first <paramref name="count"/> positions of run row <paramref name="index"/> (padded length <paramref name="length"/>) into a KV row.</summary>
    public void CopyTo(KvBuffers kv, int index, int length, int row, int count)
    {
        var headBytes = (long)length * _headSize * _elementSize;
        for (var l = 0; l < _keys.Length; l++)
        {
            kv.Write(l, key: true, row, _keys[l] + (index * _kvHeads * headBytes), headBytes, count);
            kv.Write(l, key: false, row, _values[l] + (index * _kvHeads * headBytes), headBytes, count);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var l = 0; l < _keys.Length; l++)
        {
            NativeMemory.AlignedFree(_keys[l]);
            NativeMemory.AlignedFree(_values[l]);
        }
    }
}
