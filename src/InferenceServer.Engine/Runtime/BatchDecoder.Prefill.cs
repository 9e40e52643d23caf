using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>Prefill runs: a chunk of one row after its past, or the first tokens of several fresh rows in one run.</summary>
internal sealed partial class BatchDecoder
{
    /// <summary>
    /// Runs one prefill chunk of a single row: <paramref name="tokens"/> after the row's first <paramref name="past"/>
    /// tokens; <paramref name="features"/> are the image features of the chunk's negative (image) ids, in order.
    /// </summary>
    public void Prefill(int row, int past, ReadOnlySpan<int> tokens, RunOptions run, ReadOnlyMemory<float> features = default) =>
        RunAfterPast(row, past, tokens, run, everyPosition: false, features);

    /// <summary>
    /// Runs <paramref name="tokens"/> after row <paramref name="row"/>'s first <paramref name="past"/> tokens (batch 1,
    /// total_sequence_length = past + count) and sets the row's mask over all of them. Keeps the last position's logits
    /// in the row's <see cref="Logits"/>, or, with <paramref name="everyPosition"/>, every position's for
    /// <see cref="UseVerifiedLogits"/>.
    /// </summary>
    private void RunAfterPast(int row, int past, ReadOnlySpan<int> tokens, RunOptions run, bool everyPosition, ReadOnlyMemory<float> features = default)
    {
        if (ConcatKv)
        {
            RunAfterPastConcat(row, past, tokens, run, everyPosition, features);
            return;
        }

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
        _mask.AsSpan(row * Stride, total).Fill(1L);
        var names = _graph.Config.Names;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, count]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, total]);
        using var positionsValue = OrtValue.CreateTensorValueFromMemory(positions, [1, count]);
        using var binding = _session.CreateIoBinding();
        using var embedded = _input.Bind(binding, idsValue, features, run);
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

        binding.BindOutputToDevice(_graph.Output, OrtMemoryInfo.DefaultInstance);
        _session.RunWithBinding(run, binding);
        using var outputs = binding.GetOutputValues();
        var output = outputs[outputs.Count - 1];
        if (everyPosition)
        {
            KeepVerifiedLogits(output, count, run);
        }
        else
        {
            CopyLogits(output, count - 1, 1, Logits(row), run);
        }
    }

    /// <summary>
    /// Prefills several fresh rows (nothing in them yet) in one run: row <paramref name="rows"/>[i] gets the first
    /// <paramref name="counts"/>[i] tokens of <paramref name="prompts"/>[i]. The rows are right-padded to the longest
    /// count S and the attention mask says each row's real length, which is the one layout GroupQueryAttention accepts
    /// for several new tokens in several rows: a first prompt (total_sequence_length == S, per-row seqlens_k = count − 1,
    /// positions 0..S−1). A row's padding never reaches its real tokens (causal attention) and its KV is not kept.
    /// <paramref name="features"/>[i], when given, are the image features of row i's negative (image) ids in its chunk;
    /// padding is never an image id.
    /// </summary>
    public void PrefillFresh(ReadOnlySpan<int> rows, IReadOnlyList<int[]> prompts, ReadOnlySpan<int> counts, RunOptions run,
        IReadOnlyList<ReadOnlyMemory<float>>? features = null)
    {
        var batch = rows.Length;
        var length = 0;
        foreach (var c in counts)
        {
            length = Math.Max(length, c);
        }

        var ids = new long[batch * length];
        var positions = new long[batch * length];
        var mask = new long[batch * length];
        for (var b = 0; b < batch; b++)
        {
            var prompt = prompts[b];
            for (var i = 0; i < length; i++)
            {
                var at = (b * length) + i;
                var real = i < counts[b];
                ids[at] = real ? prompt[i] : Math.Max(prompt[0], 0);
                positions[at] = i;
                mask[at] = real ? 1 : 0;
            }
        }

        if (ConcatKv)
        {
            PrefillFreshConcat(rows, counts, length, ids, positions, mask, run, Concat(features));
            return;
        }

        if (_scratch is null || _scratch.Tokens < batch * length)
        {
            _scratch?.Dispose();
            var c = _graph.Config;
            _scratch = new PrefillScratch(c.NumLayers, Math.Max(batch * length, 256), c.NumKvHeads, c.HeadSize, _graph.KvType, Kv.ElementSize);
        }

        var names = _graph.Config.Names;
        var values = new List<OrtValue>();
        try
        {
            using var binding = _session.CreateIoBinding();
            using var embedded = _input.Bind(binding, Keep(values, OrtValue.CreateTensorValueFromMemory(ids, [batch, length])), Concat(features), run);
            binding.BindInput(names.AttentionMask, Keep(values, OrtValue.CreateTensorValueFromMemory(mask, [batch, length])));
            if (_graph.HasPositionIds)
            {
                binding.BindInput(names.PositionIds, Keep(values, OrtValue.CreateTensorValueFromMemory(positions, [batch, length])));
            }

            for (var l = 0; l < Kv.Layers; l++)
            {
                var key = Keep(values, _scratch.View(l, key: true, batch, length));
                var value = Keep(values, _scratch.View(l, key: false, batch, length));
                binding.BindInput(_graph.PastKeys[l], key);
                binding.BindInput(_graph.PastValues[l], value);
                binding.BindOutput(_graph.PresentKeys[l], key);
                binding.BindOutput(_graph.PresentValues[l], value);
            }

            binding.BindOutputToDevice(_graph.Output, OrtMemoryInfo.DefaultInstance);
            _session.RunWithBinding(run, binding);
            using var outputs = binding.GetOutputValues();
            var output = outputs[outputs.Count - 1];
            for (var b = 0; b < batch; b++)
            {
                CopyLogits(output, (b * length) + counts[b] - 1, 1, Logits(rows[b]), run);

                _scratch.CopyTo(Kv, b, length, rows[b], counts[b]);
                SetRowLength(rows[b], counts[b]);
            }
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>Swaps two rows: their first <paramref name="lengthA"/> / <paramref name="lengthB"/> positions (KV and mask) and their logits.</summary>
    public void SwapRows(int a, int lengthA, int b, int lengthB)
    {
        var bytes = (int)Kv.BlockBytes(lengthA);
        var block = ArrayPool<byte>.Shared.Rent(Math.Max(bytes, 1));
        try
        {
            Kv.Save(a, 0, lengthA, block);
            Kv.MoveRow(b, a, lengthB);
            Kv.Load(b, 0, lengthA, block);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        SetRowLength(a, lengthB);
        SetRowLength(b, lengthA);
        Logits(a).CopyTo(_swapLogits);
        Logits(b).CopyTo(Logits(a));
        _swapLogits.AsSpan().CopyTo(Logits(b));
    }

    /// <summary>The rows' image features one after another: the order of their negative ids in the flattened batch.</summary>
    private static ReadOnlyMemory<float> Concat(IReadOnlyList<ReadOnlyMemory<float>>? features)
    {
        if (features is null)
        {
            return default;
        }

        var total = 0;
        var last = default(ReadOnlyMemory<float>);
        foreach (var f in features)
        {
            total += f.Length;
            last = f.Length > 0 ? f : last;
        }

        if (total == last.Length)
        {
            return last;
        }

        var all = new float[total];
        var at = 0;
        foreach (var f in features)
        {
            f.Span.CopyTo(all.AsSpan(at));
            at += f.Length;
        }

        return all;
    }

    private static OrtValue Keep(List<OrtValue> values, OrtValue value)
    {
        values.Add(value);
        return value;
    }

    /// <summary>
    /// The logits of <paramref name="count"/> positions from <paramref name="position"/> of a run's output into
    /// <paramref name="destination"/>, as float: read from the output, or, when the decoder ends at hidden states, the
    /// head's logits over just those positions.
    /// </summary>
    private void CopyLogits(OrtValue output, int position, int count, Span<float> destination, RunOptions run)
    {
        if (_graph.Head is not { } head)
        {
            Widen(output, position * _vocab, count * _vocab, destination);
            return;
        }

        var width = HiddenWidth;
        using var hidden = _graph.OutputType == TensorElementType.Float
            ? OrtValue.CreateTensorValueFromMemory(output.GetTensorDataAsSpan<float>().Slice(position * width, count * width).ToArray(), [1, count, width])
            : OrtValue.CreateTensorValueFromMemory(output.GetTensorDataAsSpan<Float16>().Slice(position * width, count * width).ToArray(), [1, count, width]);
        using var logits = head.Run(run, hidden);
        Widen(logits[0], 0, count * _vocab, destination);
    }

    /// <summary><paramref name="length"/> logits from <paramref name="offset"/> of a logits tensor into <paramref name="destination"/>, as float.</summary>
    private void Widen(OrtValue logits, int offset, int length, Span<float> destination)
    {
        if (_graph.LogitsType == TensorElementType.Float)
        {
            logits.GetTensorDataAsSpan<float>().Slice(offset, length).CopyTo(destination);
        }
        else
        {
            Widen(logits.GetTensorDataAsSpan<Float16>().Slice(offset, length), destination);
        }
    }
}
