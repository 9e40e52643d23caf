using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;

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
        nameof(RandomVariant.ConcatKv),
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

        var ours = GreedyDecoding.Ours(model, prompt, steps);
        var theirs = GreedyDecoding.GenAi(folder, prompt, steps);

        Assert.NotEmpty(ours);
        Assert.Equal(theirs, ours);
    }
}
