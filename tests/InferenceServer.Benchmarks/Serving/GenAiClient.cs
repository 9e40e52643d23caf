using System.Diagnostics;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceServer.Benchmarks.Serving;

/// <summary>ONNX Runtime GenAI on the same folder: one Generator per request, greedy, timed the same way.</summary>
internal sealed class GenAiClient : IDisposable
{
    private readonly Model _model;

    /// <param name="vision">A phi3v folder: its vision and embedding sessions get the same thread settings as the decoder.</param>
    public GenAiClient(string folder, int threads, bool vision = false)
    {
        using var config = new Config(folder);
        var options = "{\"session_options\":{" + $"\"intra_op_num_threads\":{threads},\"inter_op_num_threads\":1" + "}}";
        var sections = vision ? new[] { "decoder", "embedding", "vision" } : ["decoder"];
        config.Overlay("{\"model\":{" + string.Join(',', sections.Select(s => $"\"{s}\":{options}")) + "}}");
        _model = new Model(config);
    }

    /// <summary>The loaded model, for callers that time GenAI's own stages.</summary>
    public Model Model => _model;

    /// <param name="issued">When the request was issued (its time to first token counts from there, as the server's does), or now.</param>
    public void Run(int[] prompt, int maxTokens, RunStats stats, long? issued = null)
    {
        var start = issued ?? Stopwatch.GetTimestamp();
        using var parameters = new GeneratorParams(_model);
        parameters.SetSearchOption("max_length", prompt.Length + maxTokens);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Generator(_model, parameters);
        generator.AppendTokens(prompt);
        Decode(generator, start, maxTokens, stats, eosTokenIds: null);
    }

    /// <summary>
    /// A chat with one image, as GenAI's multimodal path runs it: the PNG decoded by <see cref="Images"/>, the
    /// processor (the Phi-3 HD transform, placeholder expansion), then the Generator (vision, embedding and text
    /// graphs), timed from before the decode. <paramref name="eosTokenIds"/>: the EOS GenAI emits is not counted as an
    /// output token, since the server does not stream it either.
    /// </summary>
    public void RunWithImage(string prompt, byte[] png, int maxLength, int maxTokens, IReadOnlyList<int> eosTokenIds, RunStats stats)
    {
        var start = Stopwatch.GetTimestamp();
        using var processor = new MultiModalProcessor(_model);
        using var images = Microsoft.ML.OnnxRuntimeGenAI.Images.Load(png);
        using var inputs = processor.ProcessImages(prompt, images);
        using var parameters = new GeneratorParams(_model);
        parameters.SetSearchOption("max_length", maxLength);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Generator(_model, parameters);
        generator.SetInputs(inputs);
        Decode(generator, start, maxTokens, stats, eosTokenIds);
    }

    public void Dispose() => _model.Dispose();

    private static void Decode(Generator generator, long start, int maxTokens, RunStats stats, IReadOnlyList<int>? eosTokenIds)
    {
        double? ttft = null;
        var last = start;
        var gaps = new List<double>(maxTokens);
        var tokens = 0;
        while (!generator.IsDone() && tokens < maxTokens)
        {
            generator.GenerateNextToken();
            if (eosTokenIds is not null && eosTokenIds.Contains(generator.GetNextTokens()[0]))
            {
                break;
            }

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
}
