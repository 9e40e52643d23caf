using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;
using Microsoft.ML.OnnxRuntime;
using GenAi = Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceServer.Tests.Models;

/// <summary>
/// The forge folders are faithful ONNX Runtime GenAI folders: GenAI 0.18 loads them and its greedy tokens equal
/// the ones our engine's decoder produces, for every graph variant.
/// </summary>
public sealed class GenAiParityTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "inferenceserver-unit-models");

    public static TheoryData<string> Folders() => new()
    {
        "scripted",
        nameof(RandomVariant.FusedRotary),
        nameof(RandomVariant.PositionIds),
        nameof(RandomVariant.Int4),
    };

    private static string Folder(string name) => name == "scripted"
        ? DemoModels.EnsureScripted(Cache)
        : DemoModels.EnsureRandom(Cache, Enum.Parse<RandomVariant>(name));

    [Theory]
    [MemberData(nameof(Folders))]
    public void GenAiAndOurEngineProduceTheSameGreedyTokens(string name)
    {
        var folder = Folder(name);
        using var model = TextModelLoader.Load(new ModelOptions { Id = name, Path = folder, MaxContextLength = 256 },
            new SessionFactory(new ExecutionProfileOptions { HugePages = false }));
        var prompt = model.Tokenizer.Encode(model.Template.Render([new ChatMessage("user", "Hello there, how are you?")], thinking: true).Text);
        const int steps = 40;

        var ours = OurGreedy(model, prompt, steps);
        var theirs = GenAiGreedy(folder, prompt, steps);

        Assert.NotEmpty(ours);
        Assert.Equal(theirs, ours);
    }

    private static List<int> OurGreedy(TextModel model, int[] prompt, int steps)
    {
        var decoder = model.Decoder;
        using var run = new RunOptions();
        var eos = model.Config.EosTokenIds.ToHashSet();
        var tokens = new List<int>();
        decoder.Prefill(row: 0, past: 0, prompt, run);
        var length = prompt.Length;
        for (var i = 0; i < steps; i++)
        {
            var token = TokenSampler.ArgMax(decoder.Logits(0));
            tokens.Add(token);
            if (eos.Contains(token))
            {
                break;
            }

            decoder.Decode(1, [token], [length], run);
            length++;
        }

        decoder.ClearRow(0);
        return tokens;
    }

    private static List<int> GenAiGreedy(string folder, int[] prompt, int steps)
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
