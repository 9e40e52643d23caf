using InferenceServer.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Owns the <see cref="InferenceSession"/> of one GenAI decoder and runs its forward pass: feeds new tokens,
/// extends the sequence's <see cref="KvCache"/>, and returns the logits of the last position.
/// Input names, dtypes and the presence of <c>position_ids</c> are read from the graph, not assumed.
/// </summary>
internal sealed class OnnxDecoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly GenAiConfig _config;
    private readonly string[] _pastKeyNames;
    private readonly string[] _pastValueNames;
    private readonly string[] _presentKeyNames;
    private readonly string[] _presentValueNames;
    private readonly bool _hasPositionIds;
    private readonly TensorElementType _kvType;
    private readonly TensorElementType _logitsType;
    private readonly OrtMemoryInfo _cpu = OrtMemoryInfo.DefaultInstance;

    public OnnxDecoder(InferenceSession session, GenAiConfig config)
    {
        _session = session;
        _config = config;
        var layers = config.NumLayers;
        _pastKeyNames = Names(config.Names.PastKey, layers);
        _pastValueNames = Names(config.Names.PastValue, layers);
        _presentKeyNames = Names(config.Names.PresentKey, layers);
        _presentValueNames = Names(config.Names.PresentValue, layers);
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        Require(inputs, config.Names.InputIds);
        Require(inputs, config.Names.AttentionMask);
        Require(outputs, config.Names.Logits);
        foreach (var name in _pastKeyNames.Concat(_pastValueNames))
        {
            Require(inputs, name);
        }

        foreach (var name in _presentKeyNames.Concat(_presentValueNames))
        {
            Require(outputs, name);
        }

        _hasPositionIds = inputs.ContainsKey(config.Names.PositionIds);
        _kvType = inputs[_pastKeyNames[0]].ElementDataType;
        _logitsType = outputs[config.Names.Logits].ElementDataType;
        if (_logitsType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw new ModelLoadException($"The decoder's '{config.Names.Logits}' output is {_logitsType}; only float32 and float16 logits are supported.");
        }
    }

    public bool HasPositionIds => _hasPositionIds;

    public bool SharesKvBuffer => _config.PastPresentShareBuffer;

    public int VocabSize => _config.VocabSize;

    /// <summary>Bytes of KV cache one token takes (all layers, keys and values).</summary>
    public long KvBytesPerToken => 2L * _config.NumLayers * _config.NumKvHeads * _config.HeadSize * (_kvType == TensorElementType.Float16 ? 2 : 4);

    public KvCache CreateCache(int capacity)
    {
        var layers = _config.NumLayers;
        var keys = new OrtValue[layers];
        var values = new OrtValue[layers];
        long[] shape = [1, _config.NumKvHeads, SharesKvBuffer ? capacity : 0, _config.HeadSize];
        for (var l = 0; l < layers; l++)
        {
            keys[l] = ZeroedTensor(shape);
            values[l] = ZeroedTensor(shape);
        }

        return new KvCache(keys, values, capacity);
    }

    /// <summary>
    /// Zero-filled like GenAI's KV buffers: native allocations hold stale bytes, and positions past a sequence's
    /// valid length must never hold a NaN or infinity that a kernel could read.
    /// </summary>
    private OrtValue ZeroedTensor(long[] shape)
    {
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _kvType, shape);
        value.GetTensorMutableRawData().Clear();
        return value;
    }

    /// <summary>
    /// Runs the model on <paramref name="tokens"/> (appended after what <paramref name="cache"/> holds) and writes
    /// the last position's logits into <paramref name="lastLogits"/> (length = vocabulary size).
    /// </summary>
    public void Forward(KvCache cache, ReadOnlySpan<int> tokens, Span<float> lastLogits, RunOptions runOptions)
    {
        var past = cache.Length;
        var count = tokens.Length;
        var total = past + count;
        if (total > cache.Capacity)
        {
            throw new InvalidOperationException($"KV cache holds {cache.Capacity} tokens; {total} requested.");
        }

        var ids = new long[count];
        var positions = _hasPositionIds ? new long[count] : [];
        for (var i = 0; i < count; i++)
        {
            ids[i] = tokens[i];
            if (_hasPositionIds)
            {
                positions[i] = past + i;
            }
        }

        var mask = new long[total];
        Array.Fill(mask, 1L);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, count]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, total]);
        using var positionsValue = _hasPositionIds ? OrtValue.CreateTensorValueFromMemory(positions, [1, count]) : null;

        if (SharesKvBuffer)
        {
            RunShared(cache, idsValue, maskValue, positionsValue, lastLogits, runOptions);
        }
        else
        {
            RunGrowing(cache, idsValue, maskValue, positionsValue, lastLogits, runOptions);
        }

        cache.Length = total;
    }

    private void RunShared(KvCache cache, OrtValue ids, OrtValue mask, OrtValue? positions, Span<float> lastLogits, RunOptions runOptions)
    {
        using var binding = _session.CreateIoBinding();
        binding.BindInput(_config.Names.InputIds, ids);
        binding.BindInput(_config.Names.AttentionMask, mask);
        if (positions is not null)
        {
            binding.BindInput(_config.Names.PositionIds, positions);
        }

        for (var l = 0; l < _config.NumLayers; l++)
        {
            binding.BindInput(_pastKeyNames[l], cache.Key(l));
            binding.BindInput(_pastValueNames[l], cache.Value(l));
            binding.BindOutput(_presentKeyNames[l], cache.Key(l));
            binding.BindOutput(_presentValueNames[l], cache.Value(l));
        }

        binding.BindOutputToDevice(_config.Names.Logits, _cpu);
        _session.RunWithBinding(runOptions, binding);
        using var outputs = binding.GetOutputValues();
        var logitsIndex = _config.NumLayers * 2;
        CopyLastLogits(outputs[logitsIndex], lastLogits);
    }

    private void RunGrowing(KvCache cache, OrtValue ids, OrtValue mask, OrtValue? positions, Span<float> lastLogits, RunOptions runOptions)
    {
        var inputNames = new List<string>(3 + (2 * _config.NumLayers)) { _config.Names.InputIds, _config.Names.AttentionMask };
        var inputValues = new List<OrtValue>(inputNames.Capacity) { ids, mask };
        if (positions is not null)
        {
            inputNames.Add(_config.Names.PositionIds);
            inputValues.Add(positions);
        }

        var outputNames = new List<string>(1 + (2 * _config.NumLayers)) { _config.Names.Logits };
        for (var l = 0; l < _config.NumLayers; l++)
        {
            inputNames.Add(_pastKeyNames[l]);
            inputValues.Add(cache.Key(l));
            inputNames.Add(_pastValueNames[l]);
            inputValues.Add(cache.Value(l));
            outputNames.Add(_presentKeyNames[l]);
            outputNames.Add(_presentValueNames[l]);
        }

        // Not disposed as a whole: the presents are handed to the cache and become the next step's pasts.
        var outputs = _session.Run(runOptions, inputNames, inputValues, outputNames);
        using (outputs[0])
        {
            CopyLastLogits(outputs[0], lastLogits);
        }

        for (var l = 0; l < _config.NumLayers; l++)
        {
            cache.Replace(l, outputs[1 + (2 * l)], outputs[2 + (2 * l)]);
        }
    }

    private void CopyLastLogits(OrtValue logits, Span<float> destination)
    {
        var shape = logits.GetTensorTypeAndShape().Shape;
        var vocab = (int)shape[^1];
        var rows = (int)(logits.GetTensorTypeAndShape().ElementCount / vocab);
        var offset = (rows - 1) * vocab;
        if (_logitsType == TensorElementType.Float)
        {
            logits.GetTensorDataAsSpan<float>().Slice(offset, vocab).CopyTo(destination);
            return;
        }

        var half = logits.GetTensorDataAsSpan<Float16>().Slice(offset, vocab);
        for (var i = 0; i < vocab; i++)
        {
            destination[i] = (float)(Half)BitConverter.UInt16BitsToHalf(half[i].value);
        }
    }

    public void Dispose() => _session.Dispose();

    private static string[] Names(string pattern, int layers)
    {
        var names = new string[layers];
        for (var l = 0; l < layers; l++)
        {
            names[l] = GenAiNames.ForLayer(pattern, l);
        }

        return names;
    }

    private static void Require<T>(IReadOnlyDictionary<string, T> metadata, string name)
    {
        if (!metadata.ContainsKey(name))
        {
            throw new ModelLoadException($"The decoder graph has no '{name}' (it has: {string.Join(", ", metadata.Keys)}); check genai_config.json's decoder inputs/outputs.");
        }
    }
}
