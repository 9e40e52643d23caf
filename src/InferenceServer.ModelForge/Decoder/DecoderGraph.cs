using InferenceServer.ModelForge.Diffusion;
using Onnx;
using static InferenceServer.ModelForge.Decoder.OnnxGraphBuilder;

namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// Builds the graph the onnxruntime-genai model builder emits for Qwen2 (or Llama: no QKV bias) on CPU (fp32 I/O):
/// Gather embedding, (Skip)SimplifiedLayerNormalization, packed QKV MatMul (+ bias), GroupQueryAttention, SiLU MLP, lm_head.
/// A <see cref="DecoderSpec.ConcatKv"/> spec has optimum's attention instead (<see cref="ConcatAttention"/>).
/// </summary>
internal sealed class DecoderGraph
{
    private const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;
    private const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;

    private readonly DecoderSpec _spec;
    private readonly DecoderWeights _weights;
    private readonly OnnxGraphBuilder _g = new();

    private DecoderGraph(DecoderSpec spec, DecoderWeights weights)
    {
        _weights = weights;
        _spec = spec;
    }

    public static ModelProto Build(DecoderSpec spec, DecoderWeights weights)
    {
        var graph = new DecoderGraph(spec, weights);
        graph.BuildGraph();
        var model = new ModelProto { IrVersion = 10, ProducerName = "InferenceServer.ModelForge", Graph = graph._g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 21 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        return model;
    }

    /// <summary>The name a <see cref="DecoderSpec.HiddenStatesOutput"/> graph's output carries, and its head graph's input.</summary>
    public const string HiddenStatesName = "hidden_states";

    /// <summary>The lm_head graph of a <see cref="DecoderSpec.HiddenStatesOutput"/> decoder: <c>hidden_states</c> → <c>logits</c>.</summary>
    public static ModelProto BuildHead(DecoderSpec spec, DecoderWeights weights)
    {
        var g = new OnnxGraphBuilder();
        g.Input(HiddenStatesName, F32, "batch_size", "sequence_length", spec.HiddenSize);
        g.Output("logits", F32, "batch_size", "sequence_length", spec.VocabSize);
        g.Floats("lm_head.MatMul.weight", weights.LmHead, spec.HiddenSize, spec.VocabSize);
        g.Node("/lm_head/MatMul", "MatMul", [HiddenStatesName, "lm_head.MatMul.weight"], ["logits"]);
        var model = new ModelProto { IrVersion = 10, ProducerName = "InferenceServer.ModelForge", Graph = g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 21 });
        return model;
    }

    private void BuildGraph()
    {
        int kvHeads = _spec.NumKvHeads;
        int head = _spec.HeadSize;
        if (_spec.InputsEmbeds)
        {
            _g.Input("inputs_embeds", F32, "batch_size", "sequence_length", _spec.HiddenSize);
        }
        else
        {
            _g.Input("input_ids", I64, "batch_size", "sequence_length");
        }

        _g.Input("attention_mask", I64, "batch_size", "total_sequence_length");
        if (_spec.WithPositionIds)
        {
            _g.Input("position_ids", I64, "batch_size", "sequence_length");
        }

        for (int l = 0; l < _spec.NumLayers; l++)
        {
            _g.Input($"past_key_values.{l}.key", F32, "batch_size", kvHeads, "past_sequence_length", head);
            _g.Input($"past_key_values.{l}.value", F32, "batch_size", kvHeads, "past_sequence_length", head);
        }

        if (_spec.HiddenStatesOutput)
        {
            _g.Output(HiddenStatesName, F32, "batch_size", "sequence_length", _spec.HiddenSize);
        }
        else
        {
            _g.Output("logits", F32, "batch_size", "sequence_length", _spec.VocabSize);
        }

        for (int l = 0; l < _spec.NumLayers; l++)
        {
            _g.Output($"present.{l}.key", F32, "batch_size", kvHeads, "total_sequence_length", head);
            _g.Output($"present.{l}.value", F32, "batch_size", kvHeads, "total_sequence_length", head);
        }

        if (_spec.ConcatKv)
        {
            MaskBias();
        }
        else
        {
            MaskReformatting();
        }

        (float[] cos, float[] sin) = RotaryCache.Create(_spec.ContextLength, head, _spec.RopeTheta);
        _g.Floats("cos_cache", cos, _spec.ContextLength, head / 2);
        _g.Floats("sin_cache", sin, _spec.ContextLength, head / 2);

        string residual = "inputs_embeds";
        if (!_spec.InputsEmbeds)
        {
            _g.Floats("model.embed_tokens.weight", _weights.Embedding, _spec.VocabSize, _spec.HiddenSize);
            _g.Node("/model/embed_tokens/Gather", "Gather", ["model.embed_tokens.weight", "input_ids"], ["/model/embed_tokens/Gather/output_0"]);
            residual = "/model/embed_tokens/Gather/output_0";
        }

        string normed = Norm("/model/layers.0/input_layernorm", residual, null, _weights.Layers[0].InputNorm);
        for (int l = 0; l < _spec.NumLayers; l++)
        {
            DecoderLayerWeights layer = _weights.Layers[l];
            string prefix = $"/model/layers.{l}";
            string attention = Attention(l, prefix, normed, layer);
            string attentionResidual = $"{prefix}/post_attention_layernorm/output_3";
            normed = Norm($"{prefix}/post_attention_layernorm", attention, residual, layer.PostAttentionNorm);
            residual = attentionResidual;
            string mlp = Mlp(prefix, normed, layer);
            bool last = l == _spec.NumLayers - 1;
            string nextNorm = last ? "/model/norm" : $"/model/layers.{l + 1}/input_layernorm";
            normed = Norm(nextNorm, mlp, residual, last ? _weights.FinalNorm : _weights.Layers[l + 1].InputNorm);
            residual = $"{nextNorm}/output_3";
        }

        if (_spec.HiddenStatesOutput)
        {
            _g.Node("/model/norm/Identity", "Identity", [normed], [HiddenStatesName]);
            return;
        }

        _g.Floats("lm_head.MatMul.weight", _weights.LmHead, _spec.HiddenSize, _spec.VocabSize);
        _g.Node("/lm_head/MatMul", "MatMul", [normed, "lm_head.MatMul.weight"], ["logits"]);
    }

    private void MaskReformatting()
    {
        const string p = "/model/attn_mask_reformat/attn_mask_subgraph";
        _g.Int64s("one_axis", [1], 1);
        _g.Int64s("one_scalar", [1]);
        _g.Node($"{p}/ReduceSum", "ReduceSum", ["attention_mask", "one_axis"], [$"{p}/ReduceSum/output_0"], "", Int("keepdims", 0));
        _g.Node($"{p}/Sub", "Sub", [$"{p}/ReduceSum/output_0", "one_scalar"], [$"{p}/Sub/output_0"]);
        _g.Node($"{p}/Sub/Cast", "Cast", [$"{p}/Sub/output_0"], [$"{p}/Sub/Cast/output_0"], "", Int("to", (long)TensorProto.Types.DataType.Int32));
        _g.Node($"{p}/Shape", "Shape", ["attention_mask"], [$"{p}/Shape/output_0"]);
        _g.Node($"{p}/Gather", "Gather", [$"{p}/Shape/output_0", "one_scalar"], [$"{p}/Gather/output_0"], "", Int("axis", 0));
        _g.Node($"{p}/Gather/Cast", "Cast", [$"{p}/Gather/output_0"], [$"{p}/Gather/Cast/output_0"], "", Int("to", (long)TensorProto.Types.DataType.Int32));
    }

    /// <summary>
    /// The additive attention bias of a concat-KV graph, <c>[batch, 1, S, T]</c>: 0 where query i (absolute position
    /// T − S + i) may read key j (j ≤ T − S + i and <c>attention_mask[b, j]</c> is 1), float.MinValue elsewhere, as
    /// transformers builds its 4-D causal mask.
    /// </summary>
    private void MaskBias()
    {
        const string p = "/model/attn_mask";
        string source = _spec.InputsEmbeds ? "inputs_embeds" : "input_ids";
        _g.Int64s($"{p}/zero", [0]);
        _g.Int64s($"{p}/one", [1]);
        _g.Int64s($"{p}/axis1", [1], 1);
        _g.Int64s($"{p}/axes12", [1, 2], 2);
        _g.Floats($"{p}/open", [0f]);
        _g.Floats($"{p}/closed", [float.MinValue]);
        _g.Node($"{p}/MaskShape", "Shape", ["attention_mask"], [$"{p}/mask_shape"]);
        _g.Node($"{p}/Total", "Gather", [$"{p}/mask_shape", $"{p}/one"], [$"{p}/total"], "", Int("axis", 0));
        _g.Node($"{p}/InputShape", "Shape", [source], [$"{p}/input_shape"]);
        _g.Node($"{p}/New", "Gather", [$"{p}/input_shape", $"{p}/one"], [$"{p}/new"], "", Int("axis", 0));
        _g.Node($"{p}/Past", "Sub", [$"{p}/total", $"{p}/new"], [$"{p}/past"]);
        _g.Node($"{p}/Rows", "Range", [$"{p}/past", $"{p}/total", $"{p}/one"], [$"{p}/rows"]);
        _g.Node($"{p}/Cols", "Range", [$"{p}/zero", $"{p}/total", $"{p}/one"], [$"{p}/cols"]);
        _g.Node($"{p}/RowsColumn", "Unsqueeze", [$"{p}/rows", $"{p}/axis1"], [$"{p}/rows_column"]);
        _g.Node($"{p}/Causal", "LessOrEqual", [$"{p}/cols", $"{p}/rows_column"], [$"{p}/causal"]);
        _g.Node($"{p}/Padding", "Cast", ["attention_mask"], [$"{p}/padding"], "", Int("to", (long)TensorProto.Types.DataType.Bool));
        _g.Node($"{p}/Padding4d", "Unsqueeze", [$"{p}/padding", $"{p}/axes12"], [$"{p}/padding_4d"]);
        _g.Node($"{p}/Allowed", "And", [$"{p}/causal", $"{p}/padding_4d"], [$"{p}/allowed"]);
        _g.Node($"{p}/Bias", "Where", [$"{p}/allowed", $"{p}/open", $"{p}/closed"], [MaskBiasName]);
    }

    private const string MaskBiasName = "/model/attn_mask/bias";

    // First norm: SimplifiedLayerNormalization; later ones: SkipSimplifiedLayerNormalization (residual add + norm).
    private string Norm(string name, string input, string? skip, float[] scale)
    {
        string weight = _g.Floats($"{name.TrimStart('/').Replace('/', '.')}.weight", scale, _spec.HiddenSize);
        string output = $"{name}/output_0";
        if (skip is null)
        {
            _g.Node($"{name}/SimplifiedLayerNormalization", "SimplifiedLayerNormalization", [input, weight], [output], "",
                Float("epsilon", _spec.RmsNormEpsilon), Int("axis", -1), Int("stash_type", 1));
        }
        else
        {
            _g.Node($"{name}/SkipLayerNorm", "SkipSimplifiedLayerNormalization", [input, skip, weight], [output, "", "", $"{name}/output_3"],
                MicrosoftDomain, Float("epsilon", _spec.RmsNormEpsilon));
        }

        return output;
    }

    private string Attention(int l, string prefix, string input, DecoderLayerWeights layer)
    {
        int heads = _spec.NumHeads;
        int kvHeads = _spec.NumKvHeads;
        int head = _spec.HeadSize;
        string qkv = Linear($"{prefix}/attn/qkv_proj", input, layer.QkvWeight, _spec.HiddenSize, _spec.QkvSize);
        if (_spec.QkvBias)
        {
            string qkvBias = _g.Floats($"model.layers.{l}.attn.qkv_proj.bias", layer.QkvBias, _spec.QkvSize);
            _g.Node($"{prefix}/attn/qkv_proj/Add", "Add", [qkv, qkvBias], [$"{prefix}/attn/qkv_proj/Add/output_0"]);
            qkv = $"{prefix}/attn/qkv_proj/Add/output_0";
        }

        const string seqlens = "/model/attn_mask_reformat/attn_mask_subgraph/Sub/Cast/output_0";
        const string total = "/model/attn_mask_reformat/attn_mask_subgraph/Gather/Cast/output_0";
        string[] inputs;
        if (_spec.WithPositionIds)
        {
            string split = _g.Int64s($"{prefix}/attn/split_sizes", [heads * head, kvHeads * head, kvHeads * head], 3);
            string[] parts = [$"{prefix}/attn/Split/output_0", $"{prefix}/attn/Split/output_1", $"{prefix}/attn/Split/output_2"];
            _g.Node($"{prefix}/attn/Split", "Split", [qkv, split], parts, "", Int("axis", -1));
            string q = Rotary($"{prefix}/attn/q_rotary", parts[0], heads);
            string k = Rotary($"{prefix}/attn/k_rotary", parts[1], kvHeads);
            inputs = [q, k, parts[2], $"past_key_values.{l}.key", $"past_key_values.{l}.value", seqlens, total];
        }
        else
        {
            inputs = [qkv, "", "", $"past_key_values.{l}.key", $"past_key_values.{l}.value", seqlens, total, "cos_cache", "sin_cache"];
        }

        if (_spec.ConcatKv)
        {
            return Linear($"{prefix}/attn/o_proj", ConcatAttention(l, prefix, inputs[0], inputs[1], inputs[2]), layer.OutputWeight, heads * head, _spec.HiddenSize);
        }

        string output = $"{prefix}/attn/GroupQueryAttention/output_0";
        _g.Node($"{prefix}/attn/GroupQueryAttention", "GroupQueryAttention", inputs, [output, $"present.{l}.key", $"present.{l}.value"],
            MicrosoftDomain, Int("num_heads", heads), Int("kv_num_heads", kvHeads), Int("do_rotary", _spec.WithPositionIds ? 0 : 1),
            Int("rotary_interleaved", 0), Float("scale", _spec.AttentionScale ?? (1f / MathF.Sqrt(head))), Int("local_window_size", -1));
        return Linear($"{prefix}/attn/o_proj", output, layer.OutputWeight, heads * head, _spec.HiddenSize);
    }

    /// <summary>
    /// Optimum's attention over rotated q, k and v (<c>[batch, S, heads × head]</c>): present = Concat(past, new) on
    /// the sequence axis, KV heads repeated for their query groups, softmax(q·kᵀ × scale + bias)·v.
    /// </summary>
    private string ConcatAttention(int l, string prefix, string q, string k, string v)
    {
        int heads = _spec.NumHeads;
        int kvHeads = _spec.NumKvHeads;
        int head = _spec.HeadSize;
        string p = $"{prefix}/attn";
        _g.Int64s($"{p}/q_shape", [0, 0, heads, head], 4);
        _g.Int64s($"{p}/kv_shape", [0, 0, kvHeads, head], 4);
        _g.Int64s($"{p}/group_axis", [2], 1);
        _g.Int64s($"{p}/groups", [1, 1, heads / kvHeads, 1, 1], 5);
        _g.Int64s($"{p}/heads_shape", [0, heads, -1, head], 4);
        _g.Int64s($"{p}/out_shape", [0, 0, heads * head], 3);
        _g.Floats($"{p}/scale", [_spec.AttentionScale ?? (1f / MathF.Sqrt(head))]);
        string Heads(string name, string input, string shape)
        {
            _g.Node($"{p}/{name}/Reshape", "Reshape", [input, shape], [$"{p}/{name}/Reshape/output_0"]);
            _g.Node($"{p}/{name}/Transpose", "Transpose", [$"{p}/{name}/Reshape/output_0"], [$"{p}/{name}/Transpose/output_0"], "", ForgeOnnx.Ints("perm", 0, 2, 1, 3));
            return $"{p}/{name}/Transpose/output_0";
        }

        string Repeat(string name, string present)
        {
            _g.Node($"{p}/{name}/Unsqueeze", "Unsqueeze", [present, $"{p}/group_axis"], [$"{p}/{name}/Unsqueeze/output_0"]);
            _g.Node($"{p}/{name}/Expand", "Expand", [$"{p}/{name}/Unsqueeze/output_0", $"{p}/groups"], [$"{p}/{name}/Expand/output_0"]);
            _g.Node($"{p}/{name}/Reshape", "Reshape", [$"{p}/{name}/Expand/output_0", $"{p}/heads_shape"], [$"{p}/{name}/repeated"]);
            return $"{p}/{name}/repeated";
        }

        string query = Heads("q", q, $"{p}/q_shape");
        _g.Node($"{p}/k/Concat", "Concat", [$"past_key_values.{l}.key", Heads("k", k, $"{p}/kv_shape")], [$"present.{l}.key"], "", Int("axis", 2));
        _g.Node($"{p}/v/Concat", "Concat", [$"past_key_values.{l}.value", Heads("v", v, $"{p}/kv_shape")], [$"present.{l}.value"], "", Int("axis", 2));
        string keys = Repeat("k_repeat", $"present.{l}.key");
        string values = Repeat("v_repeat", $"present.{l}.value");
        _g.Node($"{p}/KeysT", "Transpose", [keys], [$"{p}/keys_t"], "", ForgeOnnx.Ints("perm", 0, 1, 3, 2));
        _g.Node($"{p}/Scores", "MatMul", [query, $"{p}/keys_t"], [$"{p}/scores"]);
        _g.Node($"{p}/Scaled", "Mul", [$"{p}/scores", $"{p}/scale"], [$"{p}/scaled"]);
        _g.Node($"{p}/Masked", "Add", [$"{p}/scaled", MaskBiasName], [$"{p}/masked"]);
        _g.Node($"{p}/Softmax", "Softmax", [$"{p}/masked"], [$"{p}/weights"], "", Int("axis", -1));
        _g.Node($"{p}/Context", "MatMul", [$"{p}/weights", values], [$"{p}/context"]);
        _g.Node($"{p}/ContextT", "Transpose", [$"{p}/context"], [$"{p}/context_t"], "", ForgeOnnx.Ints("perm", 0, 2, 1, 3));
        _g.Node($"{p}/Merge", "Reshape", [$"{p}/context_t", $"{p}/out_shape"], [$"{p}/output_0"]);
        return $"{p}/output_0";
    }

    private string Rotary(string name, string input, int heads)
    {
        string output = $"{name}/output_0";
        _g.Node($"{name}/RotaryEmbedding", "RotaryEmbedding", [input, "position_ids", "cos_cache", "sin_cache"], [output], MicrosoftDomain,
            Int("interleaved", 0), Int("num_heads", heads), Int("rotary_embedding_dim", 0));
        return output;
    }

    private string Mlp(string prefix, string input, DecoderLayerWeights layer)
    {
        int h = _spec.HiddenSize;
        int inter = _spec.IntermediateSize;
        string gate = Linear($"{prefix}/mlp/gate_proj", input, layer.GateWeight, h, inter);
        string up = Linear($"{prefix}/mlp/up_proj", input, layer.UpWeight, h, inter);
        _g.Node($"{prefix}/mlp/act_fn/Sigmoid", "Sigmoid", [gate], [$"{prefix}/mlp/act_fn/Sigmoid/output_0"]);
        _g.Node($"{prefix}/mlp/act_fn/Mul", "Mul", [gate, $"{prefix}/mlp/act_fn/Sigmoid/output_0"], [$"{prefix}/mlp/act_fn/Mul/output_0"]);
        _g.Node($"{prefix}/mlp/Mul", "Mul", [$"{prefix}/mlp/act_fn/Mul/output_0", up], [$"{prefix}/mlp/Mul/output_0"]);
        return Linear($"{prefix}/mlp/down_proj", $"{prefix}/mlp/Mul/output_0", layer.DownWeight, inter, h);
    }

    // MatMul, or MatMulNBits (4 bits, block 32, accuracy level 4, symmetric) for int4 specs.
    private string Linear(string name, string input, float[] weight, int k, int n)
    {
        string initializer = name.TrimStart('/').Replace('/', '.');
        if (!_spec.Int4Weights)
        {
            _g.Floats($"{initializer}.MatMul.weight", weight, k, n);
            _g.Node($"{name}/MatMul", "MatMul", [input, $"{initializer}.MatMul.weight"], [$"{name}/MatMul/output_0"]);
            return $"{name}/MatMul/output_0";
        }

        const int block = DecoderSpec.Int4BlockSize;
        int blocks = (k + block - 1) / block;
        (byte[] packed, float[] scales) = Int4Quantizer.Quantize(weight, k, n, block);
        _g.Bytes($"{initializer}.MatMul.weight_Q4", packed, n, blocks, block / 2);
        _g.Floats($"{initializer}.MatMul.weight_scales", scales, n, blocks);
        _g.Node($"{name}/MatMulNBits", "MatMulNBits", [input, $"{initializer}.MatMul.weight_Q4", $"{initializer}.MatMul.weight_scales"],
            [$"{name}/MatMulNBits/output_0"], MicrosoftDomain,
            Int("K", k), Int("N", n), Int("bits", 4), Int("block_size", block), Int("accuracy_level", 4));
        return $"{name}/MatMulNBits/output_0";
    }
}
