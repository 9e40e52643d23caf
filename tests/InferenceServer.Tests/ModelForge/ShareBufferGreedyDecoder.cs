using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Tests.ModelForge;

/// <summary>
/// Test-only greedy loop with the KV layout GenAI uses (past_present_share_buffer): one <c>[1, kv_heads, max, head]</c>
/// buffer per layer and K/V, bound through <see cref="OrtIoBinding"/> as both past and present.
/// </summary>
internal static class ShareBufferGreedyDecoder
{
    public static List<int> Generate(string folder, IReadOnlyList<int> prompt, int maxLength, IReadOnlyList<int> eosIds)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(Path.Combine(folder, "model.onnx"), options);
        int layers = session.InputNames.Count(n => n.StartsWith("past_key_values.", StringComparison.Ordinal)) / 2;
        int[] kvShape = session.InputMetadata["past_key_values.0.key"].Dimensions;
        int vocab = session.OutputMetadata["logits"].Dimensions[2];
        bool hasPositionIds = session.InputNames.Contains("position_ids");
        var buffers = new List<OrtValue>();
        using var binding = session.CreateIoBinding();
        using var runOptions = new RunOptions();
        try
        {
            for (int l = 0; l < layers; l++)
            {
                foreach (string kind in new[] { "key", "value" })
                {
                    var buffer = OrtValue.CreateTensorValueFromMemory(new float[kvShape[1] * maxLength * kvShape[3]], [1, kvShape[1], maxLength, kvShape[3]]);
                    buffers.Add(buffer);
                    binding.BindInput($"past_key_values.{l}.{kind}", buffer);
                }
            }

            var generated = new List<int>();
            IReadOnlyList<int> input = prompt;
            int pastLength = 0;
            while (true)
            {
                int seq = input.Count;
                using var ids = OrtValue.CreateTensorValueFromMemory(input.Select(t => (long)t).ToArray(), [1, seq]);
                using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, pastLength + seq).ToArray(), [1, pastLength + seq]);
                using var positions = OrtValue.CreateTensorValueFromMemory(Enumerable.Range(pastLength, seq).Select(p => (long)p).ToArray(), [1, seq]);
                binding.BindInput("input_ids", ids);
                binding.BindInput("attention_mask", mask);
                if (hasPositionIds)
                {
                    binding.BindInput("position_ids", positions);
                }

                // Logits change shape between prefill and decode, so outputs are rebound every step.
                binding.ClearBoundOutputs();
                for (int i = 0; i < buffers.Count; i++)
                {
                    binding.BindOutput($"present.{i / 2}.{(i % 2 == 0 ? "key" : "value")}", buffers[i]);
                }

                binding.BindOutputToDevice("logits", OrtMemoryInfo.DefaultInstance);
                session.RunWithBinding(runOptions, binding);
                int next = ArgMaxLast(binding, vocab, seq);
                pastLength += seq;
                generated.Add(next);
                if (eosIds.Contains(next) || pastLength + 1 >= maxLength)
                {
                    return generated;
                }

                input = [next];
            }
        }
        finally
        {
            buffers.ForEach(b => b.Dispose());
        }
    }

    private static int ArgMaxLast(OrtIoBinding binding, int vocab, int seq)
    {
        // Output values come back in binding order, so look logits up by name.
        string[] names = binding.GetOutputNames();
        using var outputs = binding.GetOutputValues();
        ReadOnlySpan<float> last = outputs.ElementAt(Array.IndexOf(names, "logits")).GetTensorDataAsSpan<float>().Slice((seq - 1) * vocab, vocab);
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
}
