using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Tokenizer;

namespace InferenceServer.Tests.ModelForge;

/// <summary>The forge's UMT5-style tokenizer folder loads into the engine's Unigram tokenizer and behaves like UMT5's.</summary>
public sealed class ForgeUnigramTokenizerWriterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"forge-unigram-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WritesAUnigramFolderThatEncodesWordsAndFallsBackToBytes()
    {
        int vocabSize = ForgeUnigramTokenizerWriter.Write(_folder);
        UnigramTokenizer tokenizer = UnigramTokenizer.FromTokenizerJson(Path.Combine(_folder, "tokenizer.json"));

        IReadOnlyList<int> ids = tokenizer.Encode("A cat  in the rain ☃");

        Assert.Equal(vocabSize, tokenizer.VocabSize);
        Assert.Equal((0, 1), (tokenizer.PadId, tokenizer.EosId));
        Assert.Equal(["▁", "A", "▁cat", "▁in", "▁the", "▁rain", "▁", "<0xE2>", "<0x98>", "<0x83>", "</s>"],
            ids.Select(tokenizer.IdToToken).ToArray());
        // Hugging Face tokenizers gives the same pieces and this decode (a Metaspace decoder leaves byte pieces as they are).
        Assert.Equal("A cat in the rain <0xE2><0x98><0x83>", tokenizer.Decode(ids));
        Assert.True(File.Exists(Path.Combine(_folder, "tokenizer_config.json")));
    }

    [Fact]
    public void TheSameWordsGiveTheSameBytes()
    {
        ForgeUnigramTokenizerWriter.Write(Path.Combine(_folder, "a"));
        ForgeUnigramTokenizerWriter.Write(Path.Combine(_folder, "b"));

        Assert.Equal(
            File.ReadAllBytes(Path.Combine(_folder, "a", "tokenizer.json")),
            File.ReadAllBytes(Path.Combine(_folder, "b", "tokenizer.json")));
    }
}
