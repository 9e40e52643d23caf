using System.Text;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>
/// The Unigram tokenizer against Hugging Face tokenizers on T5- and UMT5-style tokenizer.json files (Precompiled
/// nmt_nfkc charsmap, Metaspace, unknown fusion, byte fallback, the trailing &lt;/s&gt;).
/// </summary>
public sealed class UnigramTokenizerTests
{
    public static TheoryData<string, int> FixtureCases()
    {
        var data = new TheoryData<string, int>();
        foreach (string file in new[] { UnigramFixtures.T5, UnigramFixtures.Umt5 })
        {
            for (int i = 0; i < UnigramFixtures.Cases(file).Count; i++)
            {
                data.Add(file, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void EncodesEveryFixtureStringToHuggingFaceIds(string file, int index)
    {
        UnigramFixtures.ExpectedCase expected = UnigramFixtures.Cases(file)[index];
        UnigramTokenizer tokenizer = UnigramFixtures.Tokenizer(file);

        Assert.Equal(expected.Ids, tokenizer.Encode(expected.Text));
        Assert.Equal(expected.PlainIds, tokenizer.Encode(expected.Text, addSpecialTokens: false));
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void DecodesEveryFixtureToHuggingFaceText(string file, int index)
    {
        UnigramFixtures.ExpectedCase expected = UnigramFixtures.Cases(file)[index];

        Assert.Equal(expected.Decoded, UnigramFixtures.Tokenizer(file).Decode(expected.Ids));
    }

    [Fact]
    public void AppendsEndOfSequenceAndNamesPadAndEos()
    {
        UnigramTokenizer tokenizer = UnigramFixtures.Tokenizer(UnigramFixtures.T5);

        Assert.Equal(0, tokenizer.PadId);
        Assert.Equal(1, tokenizer.EosId);
        Assert.Equal([tokenizer.EosId], tokenizer.Encode(string.Empty));
        IReadOnlyList<int> ids = tokenizer.Encode("Hello world");
        Assert.Equal(tokenizer.EosId, ids[^1]);
        Assert.Equal(ids.Take(ids.Count - 1), tokenizer.Encode("Hello world", addSpecialTokens: false));
    }

    [Theory]
    [InlineData(UnigramFixtures.T5, "The quick brown fox jumps over the lazy dog.")]
    [InlineData(UnigramFixtures.T5, "Café crème brûlée, 42 naïve façades!")]
    [InlineData(UnigramFixtures.Umt5, "A cat wearing sunglasses surfs a giant wave, cinematic lighting, 4K.")]
    [InlineData(UnigramFixtures.Umt5, "Egyptian 𓀀𓀁 and a snowman ☃ spelled in bytes")]
    public void DecodeRoundTripsNormalizedText(string file, string text)
    {
        UnigramTokenizer tokenizer = UnigramFixtures.Tokenizer(file);

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void ByteFallbackSpellsAnUnknownRunInUtf8Bytes()
    {
        UnigramTokenizer tokenizer = UnigramFixtures.Tokenizer(UnigramFixtures.Umt5);

        IReadOnlyList<int> ids = tokenizer.Encode("☃☃", addSpecialTokens: false);

        string[] pieces = ids.Select(tokenizer.IdToToken).ToArray();
        Assert.Equal(["▁", "<0xE2>", "<0x98>", "<0x83>", "<0xE2>", "<0x98>", "<0x83>"], pieces);
        Assert.DoesNotContain(tokenizer.UnknownId, ids);
    }

    [Fact]
    public void WithoutByteFallbackARunOfUnknownCharactersIsOneUnknownToken()
    {
        UnigramTokenizer tokenizer = UnigramFixtures.Tokenizer(UnigramFixtures.T5);

        IReadOnlyList<int> ids = tokenizer.Encode("a☃☃☃b ☃", addSpecialTokens: false);

        Assert.Equal(["▁a", "<unk>", "b", "▁", "<unk>"], ids.Select(tokenizer.IdToToken).ToArray());
        Assert.Equal(2, tokenizer.UnknownId);
    }

    [Fact]
    public void AMegabyteOfWordsEncodesToTheSumOfItsWords()
    {
        UnigramTokenizer tokenizer = UnigramFixtures.Tokenizer(UnigramFixtures.T5);
        const string sentence = "The quick brown fox jumps over the lazy dog. ";
        int repeats = (1 << 20) / sentence.Length;
        int perSentence = tokenizer.Encode(sentence, addSpecialTokens: false).Count;

        IReadOnlyList<int> ids = tokenizer.Encode(string.Concat(Enumerable.Repeat(sentence, repeats)));

        Assert.Equal((repeats * perSentence) + 1, ids.Count);
    }

    [Fact]
    public void AMegabyteWithoutSpacesIsOnePreTokenAndRoundTrips()
    {
        UnigramTokenizer tokenizer = UnigramFixtures.Tokenizer(UnigramFixtures.Umt5);
        var text = new StringBuilder();
        while (text.Length < (1 << 20))
        {
            text.Append("日本語のテキスト𓀀ab");
        }

        IReadOnlyList<int> ids = tokenizer.Encode(text.ToString());

        Assert.Equal(text.ToString(), tokenizer.Decode(ids));
    }

    [Fact]
    public void ABpeTokenizerFileIsRefusedWithAClearError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bpe-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"model":{"type":"BPE","vocab":{},"merges":[]}}""");
        try
        {
            var error = Assert.Throws<ModelLoadException>(() => UnigramTokenizer.FromTokenizerJson(path));
            Assert.Contains("not Unigram", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
