using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// The key/value cache of one sequence. With a share-buffer model (GroupQueryAttention) each layer's key and value
/// live in one preallocated tensor <c>[1, kv_heads, capacity, head_size]</c> that is bound as both past and present;
/// otherwise the cache holds the last step's present tensors and grows with them.
/// </summary>
internal sealed class KvCache : IDisposable
{
    private readonly OrtValue[] _keys;
    private readonly OrtValue[] _values;

    public KvCache(OrtValue[] keys, OrtValue[] values, int capacity)
    {
        _keys = keys;
        _values = values;
        Capacity = capacity;
    }

    /// <summary>Tokens whose keys and values are stored.</summary>
    public int Length { get; internal set; }

    /// <summary>Most tokens this cache can hold (prompt and output together).</summary>
    public int Capacity { get; }

    public OrtValue Key(int layer) => _keys[layer];

    public OrtValue Value(int layer) => _values[layer];

    /// <summary>Replaces a layer's tensors with the step's presents (growing caches only).</summary>
    public void Replace(int layer, OrtValue key, OrtValue value)
    {
        _keys[layer].Dispose();
        _values[layer].Dispose();
        _keys[layer] = key;
        _values[layer] = value;
    }

    public void Dispose()
    {
        foreach (var v in _keys)
        {
            v.Dispose();
        }

        foreach (var v in _values)
        {
            v.Dispose();
        }
    }
}
