using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceServer.Tests.ModelForge;

/// <summary>Test-only greedy generation through ONNX Runtime GenAI (share-buffer KV cache, its own mask handling).</summary>
internal static class GenAiGreedyDecoder
{
    public static List<int> Generate(string folder, IReadOnlyList<int> prompt, int maxLength)
    {
        using var config = new Config(folder);
        config.ClearProviders();
        using var model = new Model(config);
        using var parameters = new GeneratorParams(model);
        parameters.SetSearchOption("max_length", maxLength);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Generator(model, parameters);
        generator.AppendTokens(prompt.ToArray());
        var generated = new List<int>();
        while (!generator.IsDone())
        {
            generator.GenerateNextToken();
            generated.Add(generator.GetNextTokens()[0]);
        }

        return generated;
    }
}
