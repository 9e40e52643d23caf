using InferenceServer.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// What the decoder graph really has, read from the session against genai_config.json's names: the KV names per
/// layer, whether <c>position_ids</c> is an input, and the element types of the KV cache and the logits.
/// </summary>
internal sealed class DecoderGraph
{
    /// <param name="tokenInput">The input the token ids reach the graph by: <c>input_ids</c> when null, <c>inputs_embeds</c> for a vision-language text graph.</param>
    public DecoderGraph(InferenceSession session, GenAiConfig config, string? tokenInput = null)
    {
        Config = config;
        var layers = config.NumLayers;
        PastKeys = Names(config.Names.PastKey, layers);
        PastValues = Names(config.Names.PastValue, layers);
        PresentKeys = Names(config.Names.PresentKey, layers);
        PresentValues = Names(config.Names.PresentValue, layers);
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        Require(inputs, tokenInput ?? config.Names.InputIds);
        Require(inputs, config.Names.AttentionMask);
        Require(outputs, config.Names.Logits);
        foreach (var name in PastKeys.Concat(PastValues))
        {
            Require(inputs, name);
        }

        foreach (var name in PresentKeys.Concat(PresentValues))
        {
            Require(outputs, name);
        }

        if (!config.PastPresentShareBuffer)
        {
            throw new ModelLoadException(
                "genai_config.json sets search.past_present_share_buffer to false; this server batches sequences over a shared KV buffer " +
                "and needs a GroupQueryAttention export (the ONNX Runtime GenAI model builder's default for CPU, CUDA and DirectML).");
        }

        HasPositionIds = inputs.ContainsKey(config.Names.PositionIds);
        KvType = inputs[PastKeys[0]].ElementDataType;
        LogitsType = outputs[config.Names.Logits].ElementDataType;
        if (LogitsType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw new ModelLoadException($"The decoder's '{config.Names.Logits}' output is {LogitsType}; only float32 and float16 logits are supported.");
        }
    }

    public GenAiConfig Config { get; }

    public string[] PastKeys { get; }

    public string[] PastValues { get; }

    public string[] PresentKeys { get; }

    public string[] PresentValues { get; }

    public bool HasPositionIds { get; }

    public TensorElementType KvType { get; }

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
