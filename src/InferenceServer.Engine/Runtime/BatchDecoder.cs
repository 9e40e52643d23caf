using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Runs a GenAI decoder over the rows of a <see cref="KvBuffers"/>: a batched decode step for rows [0, B) — one
/// token each, one ONNX Run — prefill chunks for a single row, and prefills of several fresh rows in one run. Decode
/// bindings are built once per batch size and layout (<see cref="Relayout"/>) over preallocated, pinned buffers, so a
/// decode step allocates nothing. The attention mask of row r lies at r × <see cref="Stride"/>. A graph that ends at
/// hidden states (<see cref="DecoderGraph.Head"/>) has its lm_head run after each decoder run: over the decode step's
/// buffers, and on a prefill or verify run over only the positions whose logits are kept.
/// </summary>
internal sealed partial class BatchDecoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly DecoderGraph _graph;
    private readonly TokenInput _input;
    private readonly int _vocab;
    private readonly long[] _ids;
    private readonly long[] _positions;
    private readonly long[] _mask;
    private readonly float[] _logits;
    private readonly Float16[]? _halfLogits;
    private readonly float[]? _hidden;
    private readonly Float16[]? _halfHidden;
    private readonly DecodeBinding?[] _decode;
    private readonly OrtValue?[] _rowViews;
    private readonly float[] _swapLogits;
    private readonly bool _ownsSession;
    private PrefillScratch? _scratch;

    /// <param name="session">The decoder's session (owned from here on, unless <paramref name="ownsSession"/> is false).</param>
    /// <param name="graph">Its inputs and outputs.</param>
    /// <param name="maxRows">The most sequences at once.</param>
    /// <param name="capacity">The most positions one sequence may hold (the context).</param>
    /// <param name="totalTokens">Positions all sequences together may hold (the KV budget).</param>
    /// <param name="input">How token ids reach the graph; <c>input_ids</c> when null.</param>
    /// <param name="ownsSession">False for a second decoder over a session another one disposes (Janus's image generation).</param>
    public BatchDecoder(InferenceSession session, DecoderGraph graph, int maxRows, int capacity, long totalTokens, TokenInput? input = null, bool ownsSession = true)
    {
        _session = session;
        _ownsSession = ownsSession;
        _graph = graph;
        _input = input ?? new IdsInput(graph.Config.Names.InputIds);
        var c = graph.Config;
        _vocab = c.VocabSize;
        Kv = new KvBuffers(c.NumLayers, maxRows, c.NumKvHeads, capacity, totalTokens, c.HeadSize, graph.KvType);
        _ids = GC.AllocateArray<long>(maxRows, pinned: true);
        _positions = GC.AllocateArray<long>(maxRows, pinned: true);
        // Rows × stride never exceeds the budget, nor rows × context.
        _mask = GC.AllocateArray<long>((int)Math.Min((long)maxRows * capacity, totalTokens), pinned: true);
        _logits = GC.AllocateArray<float>(maxRows * _vocab, pinned: true);
        _halfLogits = graph.LogitsType == TensorElementType.Float16 ? GC.AllocateArray<Float16>(maxRows * _vocab, pinned: true) : null;
        if (graph.Head is not null)
        {
            var hidden = maxRows * graph.HiddenWidth;
            _hidden = graph.OutputType == TensorElementType.Float ? GC.AllocateArray<float>(hidden, pinned: true) : null;
            _halfHidden = graph.OutputType == TensorElementType.Float16 ? GC.AllocateArray<Float16>(hidden, pinned: true) : null;
        }

        _decode = new DecodeBinding?[maxRows + 1];
        _rowViews = new OrtValue?[maxRows * c.NumLayers * 2];
        _swapLogits = new float[_vocab];
    }

    public KvBuffers Kv { get; }

    /// <summary>The decoder's session (for a model's other graphs to check their edges against).</summary>
    public InferenceSession Session => _session;

    /// <summary>The most sequences at once.</summary>
    public int MaxRows => Kv.MaxRows;

    /// <summary>The most positions one sequence may hold.</summary>
    public int Capacity => Kv.Capacity;

    /// <summary>Positions each row has room for in the current layout.</summary>
    public int Stride => Kv.Stride;

    public int VocabSize => _vocab;

    private int HiddenWidth => _graph.HiddenWidth;

    /// <summary>The logits a row's last step produced (valid until that row's next step).</summary>
    public Span<float> Logits(int row) => _logits.AsSpan(row * _vocab, _vocab);

    /// <summary>
    /// One decode step for rows [0, <paramref name="batch"/>): row r holds <paramref name="lengths"/>[r] tokens
    /// and gets <paramref name="tokens"/>[r] appended; its logits land in <see cref="Logits"/>(r). With
    /// <paramref name="kinds"/>, the rows it marks read or write image tokens (<see cref="Images"/>); empty: all text.
    /// </summary>
    public void Decode(int batch, ReadOnlySpan<int> tokens, ReadOnlySpan<int> lengths, RunOptions run, ReadOnlySpan<RowKind> kinds = default)
    {
        if (ConcatKv)
        {
            DecodeConcat(batch, tokens, lengths, run, kinds);
            return;
        }

        var stride = Stride;
        for (var r = 0; r < batch; r++)
        {
            _ids[r] = tokens[r];
            _positions[r] = lengths[r];
            _mask[(r * stride) + lengths[r]] = 1;
        }

        var images = ImageRowEmbeddings(batch, tokens, kinds, _ids, run);
        var binding = _decode[batch] ??= new DecodeBinding(this, batch);
        using (_input.BindsOnce ? null : _input.Bind(binding.Binding, binding.Ids, images, run))
        {
            _session.RunWithBinding(run, binding.Binding);
        }

        var text = HasTextRow(batch, kinds);
        if (binding.HeadInput is { } hidden && text)
        {
            _graph.Head!.Run(run, hidden, binding.HeadOutput!);
        }

        if (_halfLogits is not null && text)
        {
            Widen(_halfLogits.AsSpan(0, batch * _vocab), _logits.AsSpan(0, batch * _vocab));
        }

        if (!kinds.IsEmpty)
        {
            ImageRowLogits(binding.HeadInput![0], batch, kinds, run);
        }
    }

    /// <summary>
    /// Lays the rows out with room for <paramref name="stride"/> positions each, keeping the first
    /// <paramref name="lengths"/>[r] positions of rows [0, lengths.Length) (KV and mask); rows past them are empty after.
    /// </summary>
    public void Relayout(int stride, ReadOnlySpan<int> lengths)
    {
        if (stride == Stride)
        {
            return;
        }

        Kv.Relayout(stride, lengths);
        // Bindings and views carry the old shape.
        for (var b = 0; b < _decode.Length; b++)
        {
            _decode[b]?.Dispose();
            _decode[b] = null;
        }

        for (var v = 0; v < _rowViews.Length; v++)
        {
            _rowViews[v]?.Dispose();
            _rowViews[v] = null;
        }

        _mask.AsSpan().Clear();
        for (var r = 0; r < lengths.Length; r++)
        {
            _mask.AsSpan(r * stride, lengths[r]).Fill(1L);
        }
    }

    /// <summary>Moves a row's first <paramref name="length"/> positions (KV and mask) to another row and clears the source.</summary>
    public void MoveRow(int from, int to, int length)
    {
        Kv.MoveRow(from, to, length);
        SetRowLength(to, length);
        ClearRow(from);
    }

    /// <summary>Copies a row's first <paramref name="length"/> positions (KV and mask) to another row, keeping the source.</summary>
    public void CopyRow(int from, int to, int length)
    {
        Kv.MoveRow(from, to, length);
        SetRowLength(to, length);
    }

    /// <summary>Marks a row empty (its stale KV is never read: the mask bounds every read).</summary>
    public void ClearRow(int row) => _mask.AsSpan(row * Stride, Stride).Clear();

    /// <summary>Marks every row empty.</summary>
    public void ClearAll() => _mask.AsSpan().Clear();

    /// <summary>Sets a row's mask for <paramref name="length"/> tokens restored from the prefix cache.</summary>
    public void SetRowLength(int row, int length)
    {
        _mask.AsSpan(row * Stride, length).Fill(1L);
        _mask.AsSpan(row * Stride + length, Stride - length).Clear();
    }

    private OrtValue RowView(int row, int layer, bool key)
    {
        var index = (((row * Kv.Layers) + layer) * 2) + (key ? 0 : 1);
        return _rowViews[index] ??= Kv.View(layer, key, row, 1);
    }

    private static void Widen(ReadOnlySpan<Float16> source, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (float)BitConverter.UInt16BitsToHalf(source[i].value);
        }
    }

    public void Dispose()
    {
        foreach (var b in _decode)
        {
            b?.Dispose();
        }

        foreach (var v in _rowViews)
        {
            v?.Dispose();
        }

        if (_ownsSession)
        {
            _session.Dispose();
        }

        _graph.Head?.Dispose();
        _input.Dispose();
        Images?.Dispose();
        _scratch?.Dispose();
        Kv.Dispose();
    }

    /// <summary>The I/O binding of a decode step for the first B rows, over views of the preallocated buffers.</summary>
    private sealed class DecodeBinding : IDisposable
    {
        private readonly List<OrtValue> _values = [];

        public DecodeBinding(BatchDecoder d, int batch)
        {
            var names = d._graph.Config.Names;
            Binding = d._session.CreateIoBinding();
            Ids = Keep(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, d._ids.AsMemory(0, batch), [batch, 1]));
            if (d._input.BindsOnce)
            {
                d._input.Bind(Binding, Ids, default, run: null);
            }

            Binding.BindInput(names.AttentionMask, Keep(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, d._mask.AsMemory(0, batch * d.Stride), [batch, d.Stride])));
            if (d._graph.HasPositionIds)
            {
                Binding.BindInput(names.PositionIds, Keep(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, d._positions.AsMemory(0, batch), [batch, 1])));
            }

            for (var l = 0; l < d.Kv.Layers; l++)
            {
                var key = Keep(d.Kv.View(l, key: true, 0, batch));
                var value = Keep(d.Kv.View(l, key: false, 0, batch));
                Binding.BindInput(d._graph.PastKeys[l], key);
                Binding.BindInput(d._graph.PastValues[l], value);
                Binding.BindOutput(d._graph.PresentKeys[l], key);
                Binding.BindOutput(d._graph.PresentValues[l], value);
            }

            long[] logitsShape = [batch, 1, d._vocab];
            var logits = d._halfLogits is { } half
                ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, half.AsMemory(0, batch * d._vocab), logitsShape)
                : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, d._logits.AsMemory(0, batch * d._vocab), logitsShape);
            if (d._graph.Head is null)
            {
                Binding.BindOutput(d._graph.Output, Keep(logits));
                return;
            }

            // The decoder writes hidden states into the step's buffer; the head reads them and writes the logits.
            long[] hiddenShape = [batch, 1, d.HiddenWidth];
            var width = batch * d.HiddenWidth;
            var hidden = d._halfHidden is { } halfHidden
                ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, halfHidden.AsMemory(0, width), hiddenShape)
                : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, d._hidden!.AsMemory(0, width), hiddenShape);
            Binding.BindOutput(d._graph.Output, Keep(hidden));
            HeadInput = [hidden];
            HeadOutput = [Keep(logits)];
        }

        public OrtIoBinding Binding { get; }

        /// <summary>The step's ids, over the decoder's pinned buffer.</summary>
        public OrtValue Ids { get; }

        /// <summary>The hidden states the head reads (null without a head).</summary>
        public OrtValue[]? HeadInput { get; }

        /// <summary>The logits the head writes (null without a head).</summary>
        public OrtValue[]? HeadOutput { get; }

        private OrtValue Keep(OrtValue value)
        {
            _values.Add(value);
            return value;
        }

        public void Dispose()
        {
            Binding.Dispose();
            foreach (var v in _values)
            {
                v.Dispose();
            }
        }
    }
}
