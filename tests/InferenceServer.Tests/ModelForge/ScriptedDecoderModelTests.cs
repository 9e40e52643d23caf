using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.Tests.ModelForge;

public sealed class ScriptedDecoderModelTests : IClassFixture<ScriptedModelFolders>
{
    private const int LongFiller = 1200;
    private const int NewTokens = 32;
    private readonly ScriptedModelFolders _folders;

    public ScriptedDecoderModelTests(ScriptedModelFolders folders) => _folders = folders;

    public static TheoryData<int, string> ModesAndPlacements()
    {
        var data = new TheoryData<int, string>();
        foreach (int mode in new[] { 0, 1, 2, 3 })
        {
            foreach (string placement in new[] { "start", "middle", "end", "last" })
            {
                if (mode > 0 || placement == "start")
                {
                    data.Add(mode, placement);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModesAndPlacements))]
    public void FollowsTheScriptOfTheTriggerAnywhereInALongPrompt(int mode, string placement)
    {
        int[] prompt = placement switch
        {
            "start" => ScriptFixture.Prompt(mode, LongFiller, 1, ScriptFixture.Start),
            "middle" => ScriptFixture.Prompt(mode, LongFiller, LongFiller / 2, ScriptFixture.Start),
            "end" => ScriptFixture.Prompt(mode, LongFiller, LongFiller + 1, ScriptFixture.Start),
            _ => ScriptFixture.Prompt(0, LongFiller, 0, ScriptFixture.Triggers[mode - 1]),   // the trigger is the last prompt token
        };
        int maxLength = prompt.Length + NewTokens;

        foreach (string folder in new[] { _folders.Fused, _folders.PositionIds })
        {
            using var decoder = new OrtGreedyDecoder(folder);
            Assert.Equal(ScriptFixture.Expected(mode, prompt[^1], NewTokens), decoder.Generate(prompt, maxLength, ScriptFixture.Spec.EosTokenIds));
        }
    }

    [Fact]
    public void CycleRepeatsUntilMaxLengthAndUnknownTokenEndsWithEos()
    {
        using var decoder = new OrtGreedyDecoder(_folders.Fused);
        int[] cyclePrompt = ScriptFixture.Prompt(2, 40, 20, ScriptFixture.Start);
        List<int> cycle = decoder.Generate(cyclePrompt, cyclePrompt.Length + 45, ScriptFixture.Spec.EosTokenIds);
        Assert.Equal(45, cycle.Count);
        Assert.Equal(5, cycle.Count(t => t == 50));
        Assert.Equal(ScriptFixture.Expected(2, ScriptFixture.Start, 45), cycle);
        Assert.DoesNotContain(ScriptFixture.Eos, cycle);

        int[] unknownPrompt = ScriptFixture.Prompt(1, 40, 20, ScriptFixture.NoTransitionToken);
        Assert.Equal([ScriptFixture.Eos], decoder.Generate(unknownPrompt, unknownPrompt.Length + 10, ScriptFixture.Spec.EosTokenIds));
    }

    [Fact]
    public void FollowsTheScriptWithTheTriggerAtTheStartOfA4000TokenContext()
    {
        using var decoder = new OrtGreedyDecoder(_folders.Fused);
        int[] prompt = ScriptFixture.Prompt(3, 4000, 1, ScriptFixture.Start);
        int newTokens = ScriptFixture.Spec.ContextLength - prompt.Length;
        Assert.Equal(ScriptFixture.Expected(3, ScriptFixture.Start, newTokens), decoder.Generate(prompt, ScriptFixture.Spec.ContextLength, ScriptFixture.Spec.EosTokenIds));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(2000)]
    public void ChosenLogitLeadsByAWideMarginAtAnyContextLength(int filler)
    {
        using var decoder = new OrtGreedyDecoder(_folders.Fused);
        foreach ((int mode, int last) in new[] { (0, 13), (2, 55), (3, 13), (1, 13), (2, ScriptFixture.NoTransitionToken) })
        {
            int[] prompt = ScriptFixture.Prompt(mode, filler, 1, last);
            float[] row = decoder.PrefillLogits(prompt)[((prompt.Length - 1) * ScriptFixture.Vocab)..];
            int expected = ScriptFixture.Table.Next(mode, last) ?? ScriptFixture.Eos;
            float runnerUp = row.Where((_, token) => token != expected).Max();

            // By construction a firing transition doubles EOS's default logit (measured 117 vs 59); with no
            // transition EOS leads everything else, which sits at about 0. A lead over 40 keeps the script under
            // sampling too: at temperature 2 every other token has a probability below e^-20.
            Assert.True(row[expected] - runnerUp > 0.4f * row[expected], $"mode {mode}, token {last}: {row[expected]} vs {runnerUp}");
            Assert.True(row[expected] - runnerUp > 40f, $"mode {mode}, token {last}: lead {row[expected] - runnerUp}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DecodingWithoutTheKvCacheLosesTheMode(int mode)
    {
        using var decoder = new OrtGreedyDecoder(_folders.Fused);
        int[] prompt = ScriptFixture.Prompt(mode, 300, 5, ScriptFixture.Start);
        List<int> broken = decoder.Generate(prompt, prompt.Length + 12, ScriptFixture.Spec.EosTokenIds, dropPast: true);
        Assert.NotEqual(ScriptFixture.Expected(mode, ScriptFixture.Start, 12), broken);
    }

    [Theory]
    [InlineData(0, "attention")]
    [InlineData(1, "attention")]
    [InlineData(1, "mlp")]
    public void EveryAttentionLayerAndTheMlpAreNeeded(int layer, string part)
    {
        DecoderWeights weights = ScriptedDecoderWeights.Create(ScriptFixture.Spec, ScriptFixture.Table);
        Array.Clear(part == "mlp" ? weights.Layers[layer].DownWeight : weights.Layers[layer].OutputWeight);
        using var folder = new TempModelFolder();
        DecoderModelWriter.Write(folder.Path, ScriptFixture.Spec, weights);
        using var decoder = new OrtGreedyDecoder(folder.Path);
        foreach (int mode in new[] { 0, 2 })
        {
            int[] prompt = ScriptFixture.Prompt(mode, 50, 10, ScriptFixture.Start);
            Assert.Equal([ScriptFixture.Eos], decoder.Generate(prompt, prompt.Length + 12, ScriptFixture.Spec.EosTokenIds));
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void GenAiGeneratesTheSameTokens(int mode, bool positionIds)
    {
        string folder = positionIds ? _folders.PositionIds : _folders.Fused;
        int[] prompt = ScriptFixture.Prompt(mode, 500, 250, ScriptFixture.Start);
        int maxLength = prompt.Length + 25;
        using var decoder = new OrtGreedyDecoder(folder);
        List<int> ort = decoder.Generate(prompt, maxLength, ScriptFixture.Spec.EosTokenIds);
        Assert.Equal(ScriptFixture.Expected(mode, ScriptFixture.Start, 25), ort);
        Assert.Equal(ort, GenAiGreedyDecoder.Generate(folder, prompt, maxLength));
        Assert.Equal(ort, ShareBufferGreedyDecoder.Generate(folder, prompt, maxLength, ScriptFixture.Spec.EosTokenIds));
    }
}
