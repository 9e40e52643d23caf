using System.Text.Json;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Text.Tokenization.WordPiece;

namespace InferenceServer.Tests.Text.Tokenization;

public sealed class WordPieceTokenizerTests
{
    private static readonly Lazy<WordPieceTokenizer> MiniLm = new(() => WordPieceTokenizer.Load(MiniLmFolder.Location));

    public static TheoryData<string, int[]> PackageCases()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Tokenization", "minilm-wordpiece.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var data = new TheoryData<string, int[]>();
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("text").GetString()!, [.. c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PackageCases))]
    public void IdsEqualThoseOfThePackagesOwnTokenizer(string text, int[] expected) =>
        Assert.Equal(expected, MiniLm.Value.Encode(text));

    [Theory]
    [InlineData("Café naïve RÉSUMÉ", new[] { "cafe", "naive", "resume" })]
    [InlineData("東京に行く", new[] { "東", "京", "に", "行", "く" })]
    [InlineData("HELLO…world", new[] { "hello", "…", "world" })]
    [InlineData("“quotes”", new[] { "“", "quotes", "”" })]
    [InlineData("zero\u200Bwidth\u0000", new[] { "zero", "##wi", "##dt", "##h" })]
    [InlineData("snow☃man", new[] { "[UNK]" })]
    [InlineData("GPT-4o", new[] { "gp", "##t", "-", "4", "##o" })]
    [InlineData("tabs\tand\nnew", new[] { "tab", "##s", "and", "new" })]
    public void FollowsBertWhereThePackagesTokenizerDoesNot(string text, string[] expected) =>
        Assert.Equal(expected, MiniLm.Value.Tokenize(text));

    [Fact]
    public void WrapsEveryTextInClassifierAndSeparator()
    {
        var ids = MiniLm.Value.Encode("hello");
        Assert.Equal([101, 7592, 102], ids);
        Assert.Equal([101, 102], MiniLm.Value.Encode("   "));
    }

    [Fact]
    public void AWordLongerThanAHundredCharactersIsUnknown() =>
        Assert.Equal(["[UNK]", "ok"], MiniLm.Value.Tokenize(new string('a', 101) + " ok"));

    [Fact]
    public void TokenizerJsonGivesTheSameIdsAsVocabTxt()
    {
        var folder = Directory.CreateTempSubdirectory("wordpiece-json").FullName;
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), TokenizerJsonFor(Path.Combine(MiniLmFolder.Location, "vocab.txt")));
        var fromJson = WordPieceTokenizer.Load(folder);
        string[] texts = ["Café naïve 東京 don't", "It's 3:45pm; the meeting (in room 12-B) starts soon.", "snow☃man", "unaffable"];
        foreach (var text in texts)
        {
            Assert.Equal(MiniLm.Value.Encode(text), fromJson.Encode(text));
        }
    }

    [Fact]
    public void AFolderWithoutTokenizerNamesIt()
    {
        var folder = Directory.CreateTempSubdirectory("wordpiece-none").FullName;
        var error = Assert.Throws<ModelLoadException>(() => WordPieceTokenizer.Load(folder));
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABpeTokenizerJsonIsRefusedNamingTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("wordpiece-bpe").FullName;
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, """{"model":{"type":"BPE","vocab":{"a":0},"merges":[]}}""");
        var error = Assert.Throws<ModelLoadException>(() => WordPieceTokenizer.Load(folder));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    /// <summary>tokenizer.json as Hugging Face writes it for bert-base-uncased style models.</summary>
    private static string TokenizerJsonFor(string vocabPath)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        foreach (var line in File.ReadLines(vocabPath))
        {
            vocab.TryAdd(line.TrimEnd('\r'), id++);
        }

        var document = new
        {
            version = "1.0",
            normalizer = new { type = "BertNormalizer", clean_text = true, handle_chinese_chars = true, strip_accents = (bool?)null, lowercase = true },
            pre_tokenizer = new { type = "BertPreTokenizer" },
            post_processor = new { type = "BertProcessing", sep = new object[] { "[SEP]", 102 }, cls = new object[] { "[CLS]", 101 } },
            model = new { type = "WordPiece", unk_token = "[UNK]", continuing_subword_prefix = "##", max_input_chars_per_word = 100, vocab },
        };
        return JsonSerializer.Serialize(document);
    }
}
