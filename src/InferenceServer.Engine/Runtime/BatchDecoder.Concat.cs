using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Runs of a decoder whose present is its past followed by the new positions (optimum's and transformers.js's
/// exports, onnx-community's Janus-Pro among them) rather than the past buffer written in place. The rows keep the
/// same strided layout: a run binds a row's whole stride as past, masks the positions past its length, and appends
/// its new tokens after the stride (attention_mask is stride + new wide, position_ids say the real positions); the new
/// positions are then copied from present into the row at its length. ONNX Runtime allocates present at each run,
/// so a step briefly holds a second copy of the batch's rows, as any concatenating export does.
/// </summary>
internal sealed partial class BatchDecoder
{
    /// <summary>True when the graph concatenates past and present (chosen at load by <see cref="ChooseKvLayout"/>).</summary>
    public bool ConcatKv { get; private set; }

    /// <summary>
    /// Finds how the graph keeps its KV cache from one token run at load: first bound as both past and present
    /// (GroupQueryAttention writes into the shared buffer), and when ONNX Runtime refuses that (present is longer than
    /// past), as a concatenating export. Row 0 is cleared after. Throws the second failure when neither layout runs.
    /// The first try is expected to fail on a concatenating export, so this run logs only fatal lines: its failure is
    /// an answer, not an error an operator should see.
    /// </summary>
    public void ChooseKvLayout(int token)
    {
        using var run = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        try
        {
            ConcatKv = false;
            Prefill(0, 0, [token], run);
        }
        catch (OnnxRuntimeException shared)
        {
            ConcatKv = true;
            try
            {
                Prefill(0, 0, [token], run);
            }
            catch (Exception concat) when (concat is OnnxRuntimeException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"the decoder runs neither over a shared past/present buffer ({shared.Message}) nor with present concatenated after past ({concat.Message})", concat);
            }
        }
        finally
        {
            ClearRow(0);
        }
    }

    /// <summary>Takes the layout another decoder over the same graph found (a second decoder needs no probe of its own).</summary>
    public void UseKvLayout(bool concat) => ConcatKv = concat;

    private void DecodeConcat(int batch, ReadOnlySpan<int> tokens, ReadOnlySpan<int> lengths, RunOptions run, ReadOnlySpan<RowKind> kinds)
    {
        var ids = new long[batch];
        for (var r = 0; r < batch; r++)
        {
            ids[r] = tokens[r];
            _mask[(r * Stride) + lengths[r]] = 1;
        }

        var images = ImageRowEmbeddings(batch, tokens, kinds, ids, run);
        using var outputs = RunConcat(0, batch, ids, 1, lengths, images, run);
        var output = outputs[outputs.Count - 1];
        if (_graph.Head is { } head)
        {
            if (HasTextRow(batch, kinds))
            {
                using var logits = head.Run(run, output);
                Widen(logits[0], 0, batch * _vocab, _logits);
            }
        }
        else
        {
            Widen(output, 0, batch * _vocab, _logits);
        }

        if (!kinds.IsEmpty)
        {
            ImageRowLogits(output, batch, kinds, run);
        }
    }

    private void RunAfterPastConcat(int row, int past, ReadOnlySpan<int> tokens, RunOptions run, bool everyPosition, ReadOnlyMemory<float> features)
    {
        var count = tokens.Length;
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = tokens[i];
        }

        using var outputs = RunConcat(row, 1, ids, count, [past], features, run);
        _mask.AsSpan(row * Stride, past + count).Fill(1L);
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
    /// Several fresh rows in one run with nothing past (past is zero positions long): right-padded to
    /// <paramref name="length"/>, each row's real positions copied from present into its KV row.
    /// </summary>
    private unsafe void PrefillFreshConcat(ReadOnlySpan<int> rows, ReadOnlySpan<int> counts, int length, long[] ids, long[] positions, long[] mask,
        RunOptions run, ReadOnlyMemory<float> features)
    {
        var batch = rows.Length;
        var names = _graph.Config.Names;
        var values = new List<OrtValue>();
        try
        {
            using var binding = _session.CreateIoBinding();
            using var embedded = _input.Bind(binding, Keep(values, OrtValue.CreateTensorValueFromMemory(ids, [batch, length])), features, run);
            binding.BindInput(names.AttentionMask, Keep(values, OrtValue.CreateTensorValueFromMemory(mask, [batch, length])));
            if (_graph.HasPositionIds)
            {
                binding.BindInput(names.PositionIds, Keep(values, OrtValue.CreateTensorValueFromMemory(positions, [batch, length])));
            }

            long[] empty = [batch, Kv.KvHeads, 0, Kv.HeadSize];
            for (var l = 0; l < Kv.Layers; l++)
            {
                binding.BindInput(_graph.PastKeys[l], Keep(values, OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _graph.KvType, empty)));
                binding.BindInput(_graph.PastValues[l], Keep(values, OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _graph.KvType, empty)));
                binding.BindOutputToDevice(_graph.PresentKeys[l], OrtMemoryInfo.DefaultInstance);
                binding.BindOutputToDevice(_graph.PresentValues[l], OrtMemoryInfo.DefaultInstance);
            }

            binding.BindOutputToDevice(_graph.Output, OrtMemoryInfo.DefaultInstance);
            _session.RunWithBinding(run, binding);
            using var outputs = binding.GetOutputValues();
            for (var l = 0; l < Kv.Layers; l++)
            {
                for (var b = 0; b < batch; b++)
                {
                    CopyPresent(outputs[2 * l], l, key: true, b, length, 0, rows[b], 0, counts[b]);
                    CopyPresent(outputs[(2 * l) + 1], l, key: false, b, length, 0, rows[b], 0, counts[b]);
                }
            }

            var output = outputs[outputs.Count - 1];
            for (var b = 0; b < batch; b++)
            {
                CopyLogits(output, (b * length) + counts[b] - 1, 1, Logits(rows[b]), run);
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

    /// <summary>
    /// One run of <paramref name="batch"/> rows from <paramref name="first"/>, <paramref name="count"/> new tokens each
    /// (<paramref name="ids"/> row by row) after <paramref name="pasts"/>[r] positions: past is the rows' stride, the
    /// mask opens each row's first pasts[r] positions and its new ones. The new positions land in the rows; the
    /// outputs (presents, then the decoder output last) are the caller's to read and dispose.
    /// </summary>
    private IDisposableReadOnlyCollection<OrtValue> RunConcat(int first, int batch, long[] ids, int count, ReadOnlySpan<int> pasts,
        ReadOnlyMemory<float> features, RunOptions run)
    {
        var stride = Stride;
        var total = stride + count;
        var mask = new long[batch * total];
        var positions = new long[batch * count];
        for (var r = 0; r < batch; r++)
        {
            mask.AsSpan(r * total, pasts[r]).Fill(1L);
            mask.AsSpan((r * total) + stride, count).Fill(1L);
            for (var i = 0; i < count; i++)
            {
                positions[(r * count) + i] = pasts[r] + i;
            }
        }

        var names = _graph.Config.Names;
        var values = new List<OrtValue>();
        try
        {
            using var binding = _session.CreateIoBinding();
            using var embedded = _input.Bind(binding, Keep(values, OrtValue.CreateTensorValueFromMemory(ids, [batch, count])), features, run);
            binding.BindInput(names.AttentionMask, Keep(values, OrtValue.CreateTensorValueFromMemory(mask, [batch, total])));
            if (_graph.HasPositionIds)
            {
                binding.BindInput(names.PositionIds, Keep(values, OrtValue.CreateTensorValueFromMemory(positions, [batch, count])));
            }

            for (var l = 0; l < Kv.Layers; l++)
            {
                binding.BindInput(_graph.PastKeys[l], Keep(values, Kv.View(l, key: true, first, batch)));
                binding.BindInput(_graph.PastValues[l], Keep(values, Kv.View(l, key: false, first, batch)));
                binding.BindOutputToDevice(_graph.PresentKeys[l], OrtMemoryInfo.DefaultInstance);
                binding.BindOutputToDevice(_graph.PresentValues[l], OrtMemoryInfo.DefaultInstance);
            }

            binding.BindOutputToDevice(_graph.Output, OrtMemoryInfo.DefaultInstance);
            _session.RunWithBinding(run, binding);
            var outputs = binding.GetOutputValues();
            try
            {
                for (var l = 0; l < Kv.Layers; l++)
                {
                    for (var r = 0; r < batch; r++)
                    {
                        CopyPresent(outputs[2 * l], l, key: true, r, total, stride, first + r, pasts[r], count);
                        CopyPresent(outputs[(2 * l) + 1], l, key: false, r, total, stride, first + r, pasts[r], count);
                    }
                }
            }
            catch
            {
                outputs.Dispose();
                throw;
            }

            return outputs;
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>
    /// Copies positions [<paramref name="from"/>, from + <paramref name="count"/>) of run row <paramref name="index"/>
    /// of a present (<c>[batch, kv_heads, length, head_size]</c>) into KV row <paramref name="row"/> at
    /// <paramref name="at"/>.
    /// </summary>
    private unsafe void CopyPresent(OrtValue present, int layer, bool key, int index, int length, int from, int row, int at, int count)
    {
        var shape = present.GetTensorTypeAndShape().Shape;
        if (shape.Length != 4 || shape[1] != Kv.KvHeads || shape[2] != length || shape[3] != Kv.HeadSize)
        {
            throw new InvalidOperationException(
                $"present is [{string.Join(", ", shape)}], not past followed by the new positions ([batch, {Kv.KvHeads}, {length}, {Kv.HeadSize}])");
        }

        var element = Kv.ElementSize;
        var headBytes = (long)length * Kv.HeadSize * element;
        fixed (byte* data = present.GetTensorMutableRawData())
        {
            var source = data + (index * Kv.KvHeads * headBytes) + ((long)from * Kv.HeadSize * element);
            Kv.Write(layer, key, row, source, headBytes, count, at);
        }
    }
}
