using InferenceServer.Engine.Models;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Embeddings;

/// <summary>
/// The ONNX Runtime session of an encoder: knows which of <c>input_ids</c>, <c>attention_mask</c>,
/// <c>token_type_ids</c> the graph reads and which output holds the token vectors (or an already pooled vector).
/// </summary>
internal sealed class EmbeddingSession : IDisposable
{
    private static readonly string[] TokenOutputs = ["last_hidden_state", "token_embeddings"];
    private static readonly string[] KnownInputs = ["input_ids", "attention_mask", "token_type_ids"];
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _pooledInGraph;

    public EmbeddingSession(InferenceSession session, string modelPath, int? configuredHiddenSize)
    {
        _session = session;
        foreach (var name in session.InputMetadata.Keys)
        {
            if (!KnownInputs.Contains(name))
            {
                throw new ModelLoadException($"'{modelPath}' has input '{name}'; an embedding model may read only {string.Join(", ", KnownInputs)}.");
            }
        }

        if (!session.InputMetadata.ContainsKey("input_ids"))
        {
            throw new ModelLoadException($"'{modelPath}' has no 'input_ids' input; it is not a text encoder.");
        }

        _inputNames = [.. KnownInputs.Where(session.InputMetadata.ContainsKey)];
        var output = session.OutputMetadata.FirstOrDefault(o => TokenOutputs.Contains(o.Key));
        if (output.Key is null)
        {
            output = session.OutputMetadata.FirstOrDefault(o => o.Value.Dimensions.Length == 3);
        }

        if (output.Key is null)
        {
            output = session.OutputMetadata.FirstOrDefault(o => o.Key == "sentence_embedding" || o.Value.Dimensions.Length == 2);
            _pooledInGraph = output.Key is not null;
        }

        if (output.Key is null)
        {
            throw new ModelLoadException($"'{modelPath}' has no output of token vectors [batch, tokens, hidden] nor of sentence vectors [batch, hidden].");
        }

        _outputNames = [output.Key];
        var width = output.Value.Dimensions[^1];
        HiddenSize = width > 0 ? width : configuredHiddenSize
            ?? throw new ModelLoadException($"'{modelPath}' does not fix its hidden size and config.json has no 'hidden_size'.");
    }

    public int HiddenSize { get; }

    /// <summary>Runs the sequences <paramref name="chunk"/> points at, padded to the longest, and writes their vectors.</summary>
    public void Run(IReadOnlyList<int[]> sequences, ReadOnlySpan<int> chunk, float[][] vectors, EmbeddingPooling pooling, int padId,
        CancellationToken cancellationToken)
    {
        var batch = chunk.Length;
        var length = 0;
        foreach (var i in chunk)
        {
            length = Math.Max(length, sequences[i].Length);
        }

        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var types = new long[batch * length];
        Array.Fill(ids, padId);
        for (var row = 0; row < batch; row++)
        {
            var sequence = sequences[chunk[row]];
            for (var t = 0; t < sequence.Length; t++)
            {
                ids[row * length + t] = sequence[t];
                mask[row * length + t] = 1;
            }
        }

        long[] shape = [batch, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        var inputs = new OrtValue[_inputNames.Length];
        for (var n = 0; n < _inputNames.Length; n++)
        {
            inputs[n] = _inputNames[n] switch
            {
                "input_ids" => idsValue,
                "attention_mask" => maskValue,
                _ => typesValue,
            };
        }

        using var runOptions = new RunOptions();
        using var stop = cancellationToken.Register(() => runOptions.Terminate = true);
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(runOptions, _inputNames, inputs, _outputNames);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The embedding run was terminated because the request was cancelled.", cancellationToken);
        }

        using (outputs)
        {
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            var width = HiddenSize;
            for (var row = 0; row < batch; row++)
            {
                var index = chunk[row];
                var vector = new float[width];
                if (_pooledInGraph)
                {
                    hidden.Slice(row * width, width).CopyTo(vector);
                    if (pooling.Normalize)
                    {
                        EmbeddingPooling.NormalizeInPlace(vector);
                    }
                }
                else
                {
                    pooling.Pool(hidden.Slice(row * length * width, length * width), sequences[index].Length, width, vector);
                }

                vectors[index] = vector;
            }
        }
    }

    public void Dispose() => _session.Dispose();
}
