using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.Tests.ModelForge;

public sealed class ScriptTableValidationTests
{
    [Fact]
    public void RejectsTwoTransitionsForTheSameModeAndToken()
    {
        var table = new ScriptTable([250], [new ScriptTransition(1, 10, 11), new ScriptTransition(1, 10, 12)]);
        var error = Assert.Throws<ArgumentException>(() => ScriptedDecoderWeights.Create(ScriptFixture.Spec, table));
        Assert.Contains("more than one transition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAModeWithoutATrigger()
    {
        var table = new ScriptTable([250], [new ScriptTransition(2, 10, 11)]);
        Assert.Throws<ArgumentException>(() => ScriptedDecoderWeights.Create(ScriptFixture.Spec, table));
    }

    [Fact]
    public void SaysWhichSizeIsTooSmall()
    {
        DecoderSpec tiny = ScriptFixture.Spec with { IntermediateSize = 8 };
        var error = Assert.Throws<ArgumentException>(() => ScriptedDecoderWeights.Create(tiny, ScriptFixture.Table));
        Assert.Contains("intermediate size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsARopeThetaThatTurnsTheAttentionPairAcrossTheContext()
    {
        DecoderSpec fastRotary = ScriptFixture.Spec with { RopeTheta = 100f };
        Assert.Throws<ArgumentException>(() => ScriptedDecoderWeights.Create(fastRotary, ScriptFixture.Table));
    }
}
