using InferenceServer.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// A decoder's lm_head as a graph of its own (a Janus-Pro export's <c>lm_head.onnx</c>): the decoder graph ends at
/// hidden states, and this maps them to logits after each decoder run. Its one input names the decoder output it reads.
/// </summary>
internal sealed class LogitsHead : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public LogitsHead(InferenceSession session, string file)
    {
        _session = session;
        if (session.InputMetadata.Count != 1)
        {
            throw new ModelLoadException($"'{file}' has {session.InputMetadata.Count} inputs; an lm_head graph reads one (the decoder's hidden states).");
        }

        var (input, inputMeta) = session.InputMetadata.First();
        var output = session.OutputMetadata.ContainsKey("logits") ? "logits" : session.OutputMetadata.Keys.First();
        InputName = input;
        HiddenType = inputMeta.ElementDataType;
        LogitsType = session.OutputMetadata[output].ElementDataType;
        if (HiddenType is not (TensorElementType.Float or TensorElementType.Float16) || LogitsType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw new ModelLoadException($"'{file}' reads {HiddenType} and writes {LogitsType}; only float32 and float16 are supported.");
        }

        _inputNames = [input];
        _outputNames = [output];
    }

    /// <summary>The decoder output the head reads (<c>hidden_states</c> in onnx-community's Janus-Pro export).</summary>
    public string InputName { get; }

    public TensorElementType HiddenType { get; }

    public TensorElementType LogitsType { get; }

    /// <summary>Runs the head into preallocated logits (the decode step's buffers: nothing is allocated).</summary>
    public void Run(RunOptions run, IReadOnlyCollection<OrtValue> hidden, IReadOnlyCollection<OrtValue> logits) =>
        _session.Run(run, _inputNames, hidden, _outputNames, logits);

    /// <summary>Runs the head over <paramref name="hidden"/>; the logits are the one result.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(RunOptions run, OrtValue hidden) =>
        _session.Run(run, _inputNames, [hidden], _outputNames);

    public void Dispose() => _session.Dispose();
}
