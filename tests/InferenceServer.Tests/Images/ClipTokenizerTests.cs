using InferenceServer.Engine.Images;
using InferenceServer.ModelForge;

namespace InferenceServer.Tests.Images;

public sealed class ClipTokenizerTests
{
    private static readonly ClipTokenizer Tokenizer = ClipTokenizer.Load(
        Path.Combine(DiffusionModels.EnsureForge(Path.Combine(Path.GetTempPath(), "inferenceserver-unit-diffusion")), "tokenizer"));

    [Fact]
    public void LowerCasesMergesWholeWordsAndPadsTo77()
    {
        var ids = Tokenizer.EncodePadded("  A   Photo of a CAT ", out int count);
        Assert.Equal(77, ids.Length);
        Assert.Equal(Tokenizer.BosId, ids[0]);
        Assert.Equal(7, count);
        Assert.Equal(Tokenizer.EosId, ids[6]);
        Assert.All(ids[7..], id => Assert.Equal(Tokenizer.PadId, id));
        Assert.Equal(ids[2..6], Tokenizer.EncodePadded("photo of a cat", out _)[1..5]);
        Assert.NotEqual(ids[5], Tokenizer.EncodePadded("a photo of a dog", out _)[5]);
    }

    [Fact]
    public void UnknownWordsFallBackToByteSymbolsAndLongPromptsAreCut()
    {
        Tokenizer.EncodePadded("zyx", out int count);
        Assert.Equal(5, count);
        var ids = Tokenizer.EncodePadded(string.Join(' ', Enumerable.Repeat("cat", 200)), out int longCount);
        Assert.Equal(77, longCount);
        Assert.Equal(Tokenizer.EosId, ids[76]);
    }
}
