using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

public sealed class TokenSamplerTests
{
    private static float[] Logits() => [1f, 3f, 2f, 0.5f, 2.9f];

    [Fact]
    public void TemperatureZeroIsArgMax()
    {
        var s = new TokenSampler(SamplingOptions.Greedy, 5);
        Assert.Equal(1, s.Sample(Logits()));
    }

    [Fact]
    public void TheSameSeedGivesTheSameSequenceAndAnotherSeedADifferentOne()
    {
        static int[] Draw(long seed)
        {
            var s = new TokenSampler(new SamplingOptions(Temperature: 1.5f, Seed: seed), 5);
            return Enumerable.Range(0, 64).Select(_ => s.Sample(Logits())).ToArray();
        }

        Assert.Equal(Draw(42), Draw(42));
        Assert.NotEqual(Draw(42), Draw(7));
    }

    [Fact]
    public void TopKOneIsGreedyAndTopKTwoNeverLeavesTheTwoBest()
    {
        var one = new TokenSampler(new SamplingOptions(Temperature: 2f, TopK: 1, Seed: 1), 5);
        Assert.All(Enumerable.Range(0, 32), _ => Assert.Equal(1, one.Sample(Logits())));
        var two = new TokenSampler(new SamplingOptions(Temperature: 2f, TopK: 2, Seed: 1), 5);
        var seen = Enumerable.Range(0, 200).Select(_ => two.Sample(Logits())).ToHashSet();
        Assert.Equal(new HashSet<int> { 1, 4 }, seen);
    }

    [Fact]
    public void TopPKeepsTheSmallestNucleus()
    {
        // Probabilities at T=1: token 0 dominates with ~0.9; top_p 0.5 keeps it alone.
        float[] logits = [5f, 2.5f, 1f];
        var s = new TokenSampler(new SamplingOptions(Temperature: 1f, TopP: 0.5f, Seed: 3), 3);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(0, s.Sample((float[])logits.Clone())));
    }

    [Fact]
    public void PenaltiesFollowOpenAisFormula()
    {
        // Token 1 was generated twice: 3 - 2*1.0 - 0.5 = 0.5, so token 4 (2.9) wins greedily.
        var s = new TokenSampler(new SamplingOptions(Temperature: 0f, FrequencyPenalty: 1f, PresencePenalty: 0.5f), 5);
        s.Accept(1);
        s.Accept(1);
        var logits = Logits();
        Assert.Equal(4, s.Sample(logits));
        Assert.Equal(0.5f, logits[1], 5);
    }
}
