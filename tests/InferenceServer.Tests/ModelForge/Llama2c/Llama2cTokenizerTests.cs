using System.Text;
using System.Text.Json.Nodes;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Llama2c;
using InferenceServer.Tests.Text.Tokenization;

namespace InferenceServer.Tests.ModelForge.Llama2c;

/// <summary>
/// The tokenizer.json the converter writes for stories260K encodes every fixture text to the ids llama2.c's own
/// algorithm gives (an independent port reading tok512.bin), decodes them back to the text, and so do the other
/// SentencePiece forms of the same vocabulary real Llama-2 / TinyLlama / Mistral files use.
/// </summary>
public sealed class Llama2cTokenizerTests
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        string folder = TestTokenizerFolders.NewFolder("stories260k-tokenizer");
        var checkpoint = Llama2cCheckpoint.Read(Stories260K.Checkpoint());
        Llama2cTokenizerWriter.Write(folder, Llama2cVocabulary.Read(Stories260K.Tokenizer(), checkpoint.VocabSize), checkpoint.SeqLen);
        return folder;
    });

    private static readonly RunCEncoder Reference = new(Stories260K.Tokenizer(), 512);

    private static readonly string[] FixtureTexts =
    [
        "Once upon a time",
        "The cat",
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.",
        "Tom and Sue went to the zoo. They saw a lion, a monkey and a big elephant!",
        "\"Can I have it?\" asked Ben. 'No,' said Mom. \"It's mine.\"",
        "Numbers: 0 1 2 10 42 100 2024 3.14 -7",
        "line one\nline two\n\nafter a blank line\ttab",
        "  two leading spaces and two trailing  ",
        "multiple     spaces   inside",
        "café naïve résumé — “quotes” … ™ € â",
        "你好，世界 and こんにちは and 😀🐱",
        "a",
        " ",
        string.Empty,
        "unhappily reunited overwhelmingly bedtime playground butterflies",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
        "~!@#$%^&*()_+{}|:<>?[]\\;',./`",
        "<0x41> looks like a byte piece; <b> and <0xZZ> do not",
    ];

    public static TheoryData<string> Texts() => new(FixtureTexts);

    [Theory]
    [MemberData(nameof(Texts))]
    public void EncodesAsLlama2cDoes(string text)
    {
        BpeTokenizer tokenizer = Load(Folder.Value);

        int[] expected = Reference.Encode(text);
        int[] actual = [1, .. tokenizer.Encode(text)];
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void DecodeAndStreamingGiveTheTextBack(string text)
    {
        BpeTokenizer tokenizer = Load(Folder.Value);
        int[] ids = tokenizer.Encode(text);
        var detokenizer = new IncrementalDetokenizer(tokenizer, skipSpecialTokens: true);
        var streamed = new StringBuilder();
        foreach (int id in ids)
        {
            streamed.Append(detokenizer.Push(id));
        }

        Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Equal(text, streamed.Append(detokenizer.Flush()).ToString());
    }

    /// <summary>
    /// The same vocabulary and merges in the forms newer Hugging Face files take: a Metaspace pre-tokenizer (Mistral,
    /// TinyLlama after transformers 4.38: prepend_scheme "first", no split; older files: "always", split) with a
    /// Metaspace decoder instead of the Prepend/Replace normalizer. Metaspace adds no mark to a text that already
    /// starts with a space, so those texts are left out.
    /// </summary>
    [Theory]
    [InlineData("first", false)]
    [InlineData("always", true)]
    public void MetaspaceFormsEncodeTheSame(string prependScheme, bool split)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder.Value, "tokenizer.json")))!.AsObject();
        root["normalizer"] = null;
        root["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Metaspace",
            ["replacement"] = "▁",
            ["prepend_scheme"] = prependScheme,
            ["split"] = split,
        };
        root["decoder"] = JsonNode.Parse("""{"type":"Sequence","decoders":[{"type":"ByteFallback"},{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}]}""");
        string folder = TestTokenizerFolders.NewFolder($"stories260k-metaspace-{prependScheme}");
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), root.ToJsonString());
        BpeTokenizer tokenizer = Load(folder);

        foreach (string text in FixtureTexts.Where(t => t.Length > 0 && !char.IsWhiteSpace(t[0])))
        {
            int[] ids = tokenizer.Encode(text);
            int[] expected = Reference.Encode(text);
            int[] actual = [1, .. ids];
            Assert.Equal(expected, actual);
            Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: true));
        }
    }

    /// <summary>The file is a faithful Hugging Face file: GenAI's tokenizer (a port of HF tokenizers) reads it to the same ids.</summary>
    [Fact]
    public void GenAiTokenizerEncodesTheFileAsLlama2cDoes()
    {
        using var genai = new GenAiTokenizerReference(Folder.Value, 512);
        var failures = new List<string>();
        foreach (string text in FixtureTexts)
        {
            int[] expected = Reference.Encode(text)[1..]; // GenAI 0.18's Encode adds no BOS here
            int[] actual = genai.Encode(text);
            if (!expected.SequenceEqual(actual))
            {
                failures.Add($"{text}: run.c [{string.Join(',', expected)}] genai [{string.Join(',', actual)}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void EveryMergeIsRankedByTheScoreOfWhatItMakes()
    {
        var vocabulary = Llama2cVocabulary.Read(Stories260K.Tokenizer(), 512);
        string[] pieces = Llama2cTokenizerWriter.HfPieces(vocabulary);
        var id = pieces.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);

        List<(string Left, string Right)> merges = Llama2cTokenizerWriter.Merges(vocabulary, pieces);
        float[] scores = [.. merges.Select(m => vocabulary.Scores[id[m.Left + m.Right]])];

        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(pieces.Where((p, i) => i >= 259 && p.EnumerateRunes().Count() > 1).Order(StringComparer.Ordinal),
            merges.Select(m => m.Left + m.Right).Distinct().Order(StringComparer.Ordinal));
    }

    private static BpeTokenizer Load(string folder) => BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
}
