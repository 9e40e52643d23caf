using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.Tests.ModelForge;

public sealed class RandomDecoderModelTests
{
    private const int Vocab = 300;
    private const int Eos = 299;
    private static readonly int[] Prompt = [5, 17, 42, 8, 99, 123, 7];

    public static TheoryData<string> Variants => ["fused-rotary", "position-ids", "int4"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void WritesGraphWithBuilderInputsAndOutputs(string variant)
    {
        DecoderSpec spec = SpecFor(variant);
        using var folder = new TempModelFolder();
        DecoderModelWriter.Write(folder.Path, spec, RandomDecoderWeights.Create(spec, 7));
        using var decoder = new OrtGreedyDecoder(folder.Path);

        var expected = new List<string> { "input_ids", "attention_mask" };
        if (spec.WithPositionIds)
        {
            expected.Add("position_ids");
        }

        expected.AddRange(Enumerable.Range(0, spec.NumLayers).SelectMany(l => new[] { $"past_key_values.{l}.key", $"past_key_values.{l}.value" }));
        Assert.Equal(expected, decoder.InputNames);
        Assert.Equal(Vocab, decoder.VocabSize);
        Assert.Equal(Prompt.Length * Vocab, decoder.PrefillLogits(Prompt).Length);
        string config = File.ReadAllText(Path.Combine(folder.Path, DecoderModelWriter.ConfigFileName));
        Assert.Equal(spec.WithPositionIds, config.Contains("\"position_ids\"", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void WritesTheSameBytesTwice(string variant)
    {
        DecoderSpec spec = SpecFor(variant);
        using var first = new TempModelFolder();
        using var second = new TempModelFolder();
        DecoderModelWriter.Write(first.Path, spec, RandomDecoderWeights.Create(spec, 7));
        DecoderModelWriter.Write(second.Path, spec, RandomDecoderWeights.Create(spec, 7));
        foreach (string file in new[] { DecoderModelWriter.ModelFileName, DecoderModelWriter.ConfigFileName })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, file)), File.ReadAllBytes(Path.Combine(second.Path, file)));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void CachedGreedyDecodingMatchesFullRecomputeGenAiAndShareBuffer(string variant)
    {
        DecoderSpec spec = SpecFor(variant);
        using var folder = new TempModelFolder();
        DecoderModelWriter.Write(folder.Path, spec, RandomDecoderWeights.Create(spec, 7));
        const int maxLength = 40;
        using var decoder = new OrtGreedyDecoder(folder.Path);
        List<int> generated = decoder.Generate(Prompt, maxLength, spec.EosTokenIds);

        Assert.True(generated.Distinct().Count() >= 3, $"random weights should not collapse: {string.Join(",", generated)}");

        // Every cached step picks what one uncached pass over the whole sequence picks at that position.
        int[] all = [.. Prompt, .. generated];
        float[] logits = decoder.PrefillLogits(all[..^1]);
        for (int i = 0; i < generated.Count; i++)
        {
            ReadOnlySpan<float> row = logits.AsSpan((Prompt.Length - 1 + i) * Vocab, Vocab);
            Assert.Equal(generated[i], row.IndexOf(MaxOf(row)));
        }

        Assert.Equal(generated, GenAiGreedyDecoder.Generate(folder.Path, Prompt, maxLength));
        Assert.Equal(generated, ShareBufferGreedyDecoder.Generate(folder.Path, Prompt, maxLength, spec.EosTokenIds));
    }

    private static float MaxOf(ReadOnlySpan<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float value in row)
        {
            max = MathF.Max(max, value);
        }

        return max;
    }

    private static DecoderSpec SpecFor(string variant) => variant switch
    {
        "fused-rotary" => DecoderSpec.Demo(Vocab, 1, Eos, 0),
        "position-ids" => DecoderSpec.Demo(Vocab, 1, Eos, 0) with { WithPositionIds = true, RopeTheta = 10_000f },
        "int4" => DecoderSpec.Demo(Vocab, 1, Eos, 0) with { Int4Weights = true },
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };
}
