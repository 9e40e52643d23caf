using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Speculative verification: one row's next input and its draft in one run after the row's past, keeping the logits
/// of every position (a prefill chunk keeps only the last). It is the layout of a prefill chunk after a past
/// (batch 1, total_sequence_length = past + count), the one GroupQueryAttention accepts for several new tokens after
/// a past; a rejected tail is dropped by <see cref="SetRowLength"/> (its stale KV is overwritten by the next run and
/// never read before: the mask bounds every read).
/// </summary>
internal sealed partial class BatchDecoder
{
    private float[] _verifyLogits = [];

    /// <summary>
    /// Runs <paramref name="tokens"/> after row <paramref name="row"/>'s first <paramref name="past"/> tokens and keeps
    /// each position's logits for <see cref="UseVerifiedLogits"/>. The row's mask then covers all of them.
    /// </summary>
    public void Verify(int row, int past, ReadOnlySpan<int> tokens, RunOptions run)
    {
        var count = tokens.Length;
        var total = past + count;
        var ids = new long[count];
        var positions = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = tokens[i];
            positions[i] = past + i;
        }

        var mask = new long[total];
        Array.Fill(mask, 1L);
        _mask.AsSpan(row * Capacity, total).Fill(1L);
        var names = _graph.Config.Names;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, count]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, total]);
        using var positionsValue = OrtValue.CreateTensorValueFromMemory(positions, [1, count]);
        using var binding = _session.CreateIoBinding();
        binding.BindInput(names.InputIds, idsValue);
        binding.BindInput(names.AttentionMask, maskValue);
        if (_graph.HasPositionIds)
        {
            binding.BindInput(names.PositionIds, positionsValue);
        }

        for (var l = 0; l < Kv.Layers; l++)
        {
            var key = RowView(row, l, key: true);
            var value = RowView(row, l, key: false);
            binding.BindInput(_graph.PastKeys[l], key);
            binding.BindInput(_graph.PastValues[l], value);
            binding.BindOutput(_graph.PresentKeys[l], key);
            binding.BindOutput(_graph.PresentValues[l], value);
        }

        binding.BindOutputToDevice(names.Logits, OrtMemoryInfo.DefaultInstance);
        _session.RunWithBinding(run, binding);
        using var outputs = binding.GetOutputValues();
        var logits = outputs[outputs.Count - 1];
        if (_verifyLogits.Length < count * _vocab)
        {
            _verifyLogits = new float[count * _vocab];
        }

        if (_graph.LogitsType == TensorElementType.Float)
        {
            logits.GetTensorDataAsSpan<float>()[..(count * _vocab)].CopyTo(_verifyLogits);
        }
        else
        {
            Widen(logits.GetTensorDataAsSpan<Float16>()[..(count * _vocab)], _verifyLogits);
        }
    }

    /// <summary>Puts the logits of position <paramref name="index"/> of the last <see cref="Verify"/> run into the row's <see cref="Logits"/>.</summary>
    public void UseVerifiedLogits(int row, int index) => _verifyLogits.AsSpan(index * _vocab, _vocab).CopyTo(Logits(row));
}
