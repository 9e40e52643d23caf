using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Tests.ModelForge;

/// <summary>
/// Test-only greedy loop on plain ONNX Runtime: prefill the prompt, then one token per step with a growing KV cache.
/// </summary>
internal sealed class OrtGreedyDecoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _layers;
    private readonly long _kvHeads;
    private readonly long _headSize;
    private readonly bool _hasPositionIds;

    public OrtGreedyDecoder(string folder)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(Path.Combine(folder, "model.onnx"), options);
        _layers = _session.InputNames.Count(n => n.StartsWith("past_key_values.", StringComparison.Ordinal)) / 2;
        int[] kvShape = _session.InputMetadata["past_key_values.0.key"].Dimensions;
        _kvHeads = kvShape[1];
        _headSize = kvShape[3];
        _hasPositionIds = _session.InputNames.Contains("position_ids");
        VocabSize = _session.OutputMetadata["logits"].Dimensions[2];
    }

    public int VocabSize { get; }

    public IReadOnlyList<string> InputNames => _session.InputNames;

    /// <summary>Logits of the whole prompt in one run without past, <c>[seq, vocab]</c> flattened.</summary>
    public float[] PrefillLogits(IReadOnlyList<int> prompt)
    {
        using var step = Run(prompt, 0, Empty());
        return step.Logits.ToArray();
    }

    /// <summary>
    /// Greedy tokens after the prompt until an EOS id (included) or <paramref name="maxLength"/> total tokens.
    /// <paramref name="dropPast"/> runs every decode step without the KV cache (a broken-attention probe).
    /// </summary>
    public List<int> Generate(IReadOnlyList<int> prompt, int maxLength, IReadOnlyList<int> eosIds, bool dropPast = false)
    {
        var generated = new List<int>();
        OrtValue[] past = Empty();
        int pastLength = 0;
        IReadOnlyList<int> input = prompt;
        try
        {
            while (pastLength + input.Count < maxLength + 1)
            {
                using StepResult step = Run(input, dropPast ? 0 : pastLength, past);
                int next = ArgMaxLast(step.Logits, input.Count);
                DisposeAll(past);
                past = dropPast ? Empty() : step.TakePresents();
                pastLength += input.Count;
                generated.Add(next);
                if (eosIds.Contains(next) || pastLength + 1 >= maxLength)
                {
                    break;
                }

                input = [next];
            }
        }
        finally
        {
            DisposeAll(past);
        }

        return generated;
    }

    public void Dispose() => _session.Dispose();

    private StepResult Run(IReadOnlyList<int> tokens, int pastLength, OrtValue[] past)
    {
        int seq = tokens.Count;
        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(tokens.Select(t => (long)t).ToArray(), [1, seq]),
            OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, pastLength + seq).ToArray(), [1, pastLength + seq]),
        };
        if (_hasPositionIds)
        {
            names.Add("position_ids");
            values.Add(OrtValue.CreateTensorValueFromMemory(Enumerable.Range(pastLength, seq).Select(p => (long)p).ToArray(), [1, seq]));
        }

        var outputNames = new List<string> { "logits" };
        for (int l = 0; l < _layers; l++)
        {
            names.Add($"past_key_values.{l}.key");
            names.Add($"past_key_values.{l}.value");
            outputNames.Add($"present.{l}.key");
            outputNames.Add($"present.{l}.value");
        }

        try
        {
            using var runOptions = new RunOptions();
            var outputs = _session.Run(runOptions, names, values.Concat(past).ToArray(), outputNames);
            return new StepResult(outputs);
        }
        finally
        {
            DisposeAll(values);
        }
    }

    private int ArgMaxLast(ReadOnlySpan<float> logits, int seq)
    {
        ReadOnlySpan<float> last = logits.Slice((seq - 1) * VocabSize, VocabSize);
        int best = 0;
        for (int i = 1; i < last.Length; i++)
        {
            if (last[i] > last[best])
            {
                best = i;
            }
        }

        return best;
    }

    private OrtValue[] Empty()
    {
        var empty = new OrtValue[2 * _layers];
        for (int i = 0; i < empty.Length; i++)
        {
            empty[i] = OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, _kvHeads, 0, _headSize]);
        }

        return empty;
    }

    private static void DisposeAll(IEnumerable<OrtValue> values)
    {
        foreach (OrtValue value in values)
        {
            value.Dispose();
        }
    }

    private sealed class StepResult(IDisposableReadOnlyCollection<OrtValue> outputs) : IDisposable
    {
        public ReadOnlySpan<float> Logits => outputs.First().GetTensorDataAsSpan<float>();

        // Copies the presents so they outlive this result.
        public OrtValue[] TakePresents() => outputs.Skip(1).Select(Copy).ToArray();

        public void Dispose() => outputs.Dispose();

        private static OrtValue Copy(OrtValue value)
        {
            long[] shape = value.GetTensorTypeAndShape().Shape;
            return OrtValue.CreateTensorValueFromMemory(value.GetTensorDataAsSpan<float>().ToArray(), shape);
        }
    }
}
