using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using GenAi = Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceServer.Tests.Models;

/// <summary>Greedy continuations of a prompt by our engine's decoder and by ONNX Runtime GenAI, for parity tests.</summary>
internal static class GreedyDecoding
{
    /// <summary>Up to <paramref name="steps"/> argmax tokens from row 0 of the model's decoder, stopping after EOS.</summary>
    public static List<int> Ours(TextModel model, int[] prompt, int steps)
    {
        var decoder = model.Decoder;
        using var run = new RunOptions();
        var tokens = new List<int>();
        decoder.Prefill(row: 0, past: 0, prompt, run);
        var length = prompt.Length;
        for (var i = 0; i < steps; i++)
        {
            var token = TokenSampler.ArgMax(decoder.Logits(0));
            tokens.Add(token);
            if (model.Config.EosTokenIds.Contains(token))
            {
                break;
            }

            decoder.Decode(1, [token], [length], run);
            length++;
        }

        decoder.ClearRow(0);
        return tokens;
    }

    /// <summary>Up to <paramref name="steps"/> tokens from GenAI's greedy generator on the same folder.</summary>
    public static List<int> GenAi(string folder, int[] prompt, int steps)
    {
        using var model = new GenAi.Model(folder);
        using var parameters = new GenAi.GeneratorParams(model);
        parameters.SetSearchOption("max_length", prompt.Length + steps);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new GenAi.Generator(model, parameters);
        generator.AppendTokens(prompt);
        var tokens = new List<int>();
        while (!generator.IsDone() && tokens.Count < steps)
        {
            generator.GenerateNextToken();
            tokens.Add(generator.GetNextTokens()[0]);
        }

        return tokens;
    }
}
