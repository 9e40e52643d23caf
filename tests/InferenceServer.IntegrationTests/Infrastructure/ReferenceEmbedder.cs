using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// The reference sentence-transformers pipeline, written apart from the server's: one sequence per ONNX run (no
/// padding), mean of the token vectors, divided by its L2 norm, in double precision.
/// </summary>
public sealed class ReferenceEmbedder : IDisposable
{
    private readonly InferenceSession _session;

    public ReferenceEmbedder(string modelPath) => _session = new InferenceSession(modelPath);

    public float[] Embed(IReadOnlyList<int> ids)
    {
        long[] shape = [1, ids.Count];
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids.Select(i => (long)i).ToArray(), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Count).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[ids.Count], shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [inputIds, mask, types], ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var width = hidden.Length / ids.Count;
        var sum = new double[width];
        for (var t = 0; t < ids.Count; t++)
        {
            for (var d = 0; d < width; d++)
            {
                sum[d] += hidden[t * width + d];
            }
        }

        var norm = Math.Sqrt(sum.Sum(v => (v / ids.Count) * (v / ids.Count)));
        return [.. sum.Select(v => (float)(v / ids.Count / norm))];
    }

    public void Dispose() => _session.Dispose();
}
