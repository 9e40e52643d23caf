using System.Diagnostics;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceServer.Benchmarks.Serving;

/// <summary>ONNX Runtime GenAI on the same folder: one Generator per request, greedy, timed the same way.</summary>
internal sealed class GenAiClient : IDisposable
{
    private readonly Model _model;

    public GenAiClient(string folder, int threads)
    {
        using var config = new Config(folder);
        var options = $"\"intra_op_num_threads\":{threads},\"inter_op_num_threads\":1";
        config.Overlay("{\"model\":{\"decoder\":{\"session_options\":{" + options + "}}}}");
        _model = new Model(config);
    }

    public void Run(int[] prompt, int maxTokens, RunStats stats)
    {
        var start = Stopwatch.GetTimestamp();
        using var parameters = new GeneratorParams(_model);
        parameters.SetSearchOption("max_length", prompt.Length + maxTokens);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Generator(_model, parameters);
        generator.AppendTokens(prompt);
        double? ttft = null;
        var last = start;
        var gaps = new List<double>(maxTokens);
        var tokens = 0;
        while (!generator.IsDone() && tokens < maxTokens)
        {
            generator.GenerateNextToken();
            tokens++;
            var now = Stopwatch.GetTimestamp();
            if (ttft is null)
            {
                ttft = Stopwatch.GetElapsedTime(start, now).TotalSeconds;
            }
            else
            {
                gaps.Add(Stopwatch.GetElapsedTime(last, now).TotalSeconds);
            }

            last = now;
        }

        stats.Add(ttft ?? double.NaN, gaps, tokens);
    }

    public void Dispose() => _model.Dispose();
}
