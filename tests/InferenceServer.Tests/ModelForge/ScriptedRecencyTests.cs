using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.Tests.ModelForge;

/// <summary>The most recent trigger or reset token picks the mode, however far back and however close together.</summary>
public sealed class ScriptedRecencyTests : IClassFixture<ScriptedModelFolders>
{
    private const int NewTokens = 16;
    private readonly ScriptedModelFolders _folders;

    public ScriptedRecencyTests(ScriptedModelFolders folders) => _folders = folders;

    public static TheoryData<string, int, int> Placements() => new()
    {
        // What the prompt holds (in order), its filler length, and the mode that must follow.
        { "trigger1 reset", 300, 0 },
        { "reset trigger2", 300, 2 },
        { "trigger1 reset trigger3", 300, 3 },
        { "trigger2 trigger1", 300, 1 },
        { "trigger1 trigger2", 300, 2 },
        { "trigger3 reset", 3500, 0 },
        { "trigger3 reset trigger2", 3500, 2 },
        { "reset trigger3 reset", 3500, 0 },
    };

    [Theory]
    [MemberData(nameof(Placements))]
    public void TheMostRecentTriggerOrResetPicksTheMode(string placement, int filler, int mode)
    {
        // Adjacent markers, spread near the start of a long prompt: the first at 1, then one token apart.
        int[] prompt = Prompt(placement, filler, adjacent: true);
        int[] spread = Prompt(placement, filler, adjacent: false);
        foreach (string folder in new[] { _folders.Fused, _folders.PositionIds })
        {
            using var decoder = new OrtGreedyDecoder(folder);
            Assert.Equal(ScriptFixture.Expected(mode, ScriptFixture.Start, NewTokens), decoder.Generate(prompt, prompt.Length + NewTokens, ScriptFixture.Spec.EosTokenIds));
            Assert.Equal(ScriptFixture.Expected(mode, ScriptFixture.Start, NewTokens), decoder.Generate(spread, spread.Length + NewTokens, ScriptFixture.Spec.EosTokenIds));
        }
    }

    [Fact]
    public void AResetTokenCannotAlsoBeATrigger()
    {
        var table = new ScriptTable([250], [new ScriptTransition(1, 10, 11)], [250]);
        Assert.Throws<ArgumentException>(() => ScriptedDecoderWeights.Create(ScriptFixture.Spec, table));
    }

    /// <summary>The fixture prompt with the named markers inserted: adjacent from position 1, or a third of the filler apart.</summary>
    private static int[] Prompt(string placement, int filler, bool adjacent)
    {
        var prompt = ScriptFixture.Prompt(0, filler, 0, ScriptFixture.Start).ToList();
        string[] markers = placement.Split(' ');
        for (int i = 0; i < markers.Length; i++)
        {
            int token = markers[i] == "reset" ? ScriptFixture.Reset : ScriptFixture.Triggers[markers[i][^1] - '1'];
            prompt.Insert(adjacent ? 1 + i : 1 + (i * filler / 3) + i, token);
        }

        return [.. prompt];
    }
}
