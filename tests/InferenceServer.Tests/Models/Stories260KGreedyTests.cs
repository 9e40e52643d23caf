using InferenceServer.Engine.Models;

namespace InferenceServer.Tests.Models;

/// <summary>
/// Real trained weights: the converted llama2.c stories260K model continues the README's prompts exactly as an
/// independent implementation of <c>run.c</c> does, through our engine's decoder and through ONNX Runtime GenAI 0.18.
/// </summary>
public sealed class Stories260KGreedyTests : IClassFixture<Stories260KFixture>
{
    private const int MaxSteps = 200;
    private readonly Stories260KFixture _fixture;

    public Stories260KGreedyTests(Stories260KFixture fixture) => _fixture = fixture;

    [Theory]
    [MemberData(nameof(Stories260KReference.Prompts), MemberType = typeof(Stories260KReference))]
    public void OurEngineContinuesThePromptAsTheReferenceDoes(string prompt)
    {
        TextModel model = _fixture.Model;
        int[] promptIds = [1, .. model.Tokenizer.Encode(prompt)];

        List<int> tokens = GreedyDecoding.Ours(model, promptIds, MaxSteps);

        // The reference stops at the end of its first paragraph; the model goes on. Some prefix of our tokens must
        // decode to exactly the reference text, and it must be a long one.
        string reference = Stories260KReference.Text(prompt);
        string all = model.Tokenizer.Decode([.. promptIds, .. tokens], skipSpecialTokens: true);
        Assert.StartsWith(reference, all, StringComparison.Ordinal);
        int matched = Enumerable.Range(1, tokens.Count)
            .First(n => model.Tokenizer.Decode([.. promptIds, .. tokens[..n]], skipSpecialTokens: true).Length >= reference.Length);
        Assert.Equal(reference, model.Tokenizer.Decode([.. promptIds, .. tokens[..matched]], skipSpecialTokens: true));
        Assert.True(Stories260KReference.ReferenceTokens(prompt) == matched, $"the reference is {matched} tokens");
    }

    [Theory]
    [MemberData(nameof(Stories260KReference.Prompts), MemberType = typeof(Stories260KReference))]
    public void GenAiProducesTheSameTokensOnTheConvertedFolder(string prompt)
    {
        TextModel model = _fixture.Model;
        int[] promptIds = [1, .. model.Tokenizer.Encode(prompt)];

        List<int> ours = GreedyDecoding.Ours(model, promptIds, MaxSteps);
        List<int> theirs = GreedyDecoding.GenAi(_fixture.Folder, promptIds, ours.Count);

        Assert.True(ours.Count > Stories260KReference.ReferenceTokens(prompt), $"only {ours.Count} tokens");
        Assert.Equal(ours, theirs);
    }
}
