using InferenceServer.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// What the decoder graph really has, read from the session against genai_config.json's names: the KV names per
/// layer, whether <c>position_ids</c> is an input, and the element types of the KV cache and the logits. A graph that
/// ends at hidden states has its lm_head as a <see cref="LogitsHead"/> of its own.
/// </summary>
internal sealed class DecoderGraph
{
    /// <param name="tokenInput">The input the token ids reach the graph by: <c>input_ids</c> when null, <c>inputs_embeds</c> for a vision-language text graph.</param>
    /// <param name="head">The lm_head graph when the decoder outputs hidden states (Janus-Pro); the decoder outputs logits when null.</param>
    public DecoderGraph(InferenceSession session, GenAiConfig config, string? tokenInput = null, LogitsHead? head = null)
    {
        Config = config;
        Head = head;
        Output = head?.InputName ?? config.Names.Logits;
        var layers = config.NumLayers;
        PastKeys = Names(config.Names.PastKey, layers);
        PastValues = Names(config.Names.PastValue, layers);
        PresentKeys = Names(config.Names.PresentKey, layers);
        PresentValues = Names(config.Names.PresentValue, layers);
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        Require(inputs, tokenInput ?? config.Names.InputIds);
        Require(inputs, config.Names.AttentionMask);
        Require(outputs, Output);
        foreach (var name in PastKeys.Concat(PastValues))
        {
            Require(inputs, name);
        }

        foreach (var name in PresentKeys.Concat(PresentValues))
        {
            Require(outputs, name);
        }

        HasPositionIds = inputs.ContainsKey(config.Names.PositionIds);
        KvType = inputs[PastKeys[0]].ElementDataType;
        OutputType = outputs[Output].ElementDataType;
        if (head is not null && OutputType != head.HiddenType)
        {
            throw new ModelLoadException($"The decoder's '{Output}' output is {OutputType} but the lm_head graph reads {head.HiddenType}.");
        }

        var width = outputs[Output].Dimensions is { Length: 3 } dims ? dims[2] : -1;
        HiddenWidth = head is null ? 0 : width > 0 ? width : config.NumHeads * config.HeadSize;
        LogitsType = head?.LogitsType ?? OutputType;
        if (LogitsType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw new ModelLoadException($"The decoder's '{config.Names.Logits}' output is {LogitsType}; only float32 and float16 logits are supported.");
        }
    }

    public GenAiConfig Config { get; }

    /// <summary>The lm_head run after each decoder run, when the decoder outputs hidden states.</summary>
    public LogitsHead? Head { get; }

    /// <summary>The decoder output read after a run: the logits, or the hidden states <see cref="Head"/> reads.</summary>
    public string Output { get; }

    /// <summary>Values per position of a hidden-state <see cref="Output"/> (0 when the decoder outputs logits).</summary>
    public int HiddenWidth { get; }

    /// <summary>The element type of <see cref="Output"/>.</summary>
    public TensorElementType OutputType { get; }

    public string[] PastKeys { get; }

    public string[] PastValues { get; }

    public string[] PresentKeys { get; }

    public string[] PresentValues { get; }

    public bool HasPositionIds { get; }

    public TensorElementType KvType { get; }

    /// <summary>The element type of the logits (the head's output when there is a head).</summary>
    public TensorElementType LogitsType { get; }

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
