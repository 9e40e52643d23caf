using System.Text.Json.Nodes;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Tests.Text.Tokenization;

public sealed class BpeTokenizerTests
{
    private static readonly Lazy<BpeTokenizer> Forge = new(() =>
        BpeTokenizer.Load(Path.Combine(TestTokenizerFolders.Forge(), "tokenizer.json")));

    [Fact]
    public void MissingFileIsAModelLoadExceptionNamingTheFile()
    {
        string path = Path.Combine(TestTokenizerFolders.NewFolder("missing"), "tokenizer.json");

        var error = Assert.Throws<ModelLoadException>(() => BpeTokenizer.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{"model":{"type":"WordPiece","vocab":{"a":0}}}""")]
    [InlineData("""{"model":{"type":"BPE","vocab":{"a":0},"merges":["a b"]}}""")]
    [InlineData("""{"model":{"type":"BPE","vocab":{"a":0}},"pre_tokenizer":{"type":"BertPreTokenizer"}}""")]
    public void InvalidOrUnsupportedFileIsAModelLoadExceptionNamingTheFile(string json)
    {
        string path = Path.Combine(TestTokenizerFolders.NewFolder("bad"), "tokenizer.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<ModelLoadException>(() => BpeTokenizer.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LookupsAgreeWithEachOther()
    {
        BpeTokenizer tokenizer = Forge.Value;
        int bos = tokenizer.TokenToId("<｜begin▁of▁sentence｜>")!.Value;

        Assert.Equal("<｜begin▁of▁sentence｜>", tokenizer.IdToToken(bos));
        Assert.True(tokenizer.IsSpecial(bos));
        Assert.False(tokenizer.IsSpecial(tokenizer.TokenToId("<think>")!.Value));
        Assert.Equal(tokenizer.TokenToId("<tool_call>")!.Value + 2, tokenizer.VocabSize);
        Assert.Equal("Ġ", tokenizer.IdToToken(32));
        Assert.Equal([(byte)' '], tokenizer.GetTokenBytes(32).ToArray());
        Assert.Equal("<think>"u8.ToArray(), tokenizer.GetTokenBytes(tokenizer.TokenToId("<think>")!.Value).ToArray());
        Assert.Null(tokenizer.TokenToId("no such token"));
        Assert.Null(tokenizer.IdToToken(tokenizer.VocabSize));
        Assert.Equal(0, tokenizer.GetTokenBytes(-1).Length);
        Assert.Equal(string.Empty, tokenizer.Decode([-5, tokenizer.VocabSize + 3], skipSpecialTokens: false));
    }

    [Fact]
    public void MergesInStringAndArrayFormEncodeAlike()
    {
        string folder = TestTokenizerFolders.Forge();
        string path = Path.Combine(folder, "tokenizer.json");
        JsonNode root = JsonNode.Parse(File.ReadAllText(path))!;
        JsonArray merges = root["model"]!["merges"]!.AsArray();
        var arrayForm = new JsonArray();
        foreach (JsonNode? merge in merges)
        {
            string[] parts = merge!.GetValue<string>().Split(' ');
            arrayForm.Add(new JsonArray(parts[0], parts[1]));
        }

        root["model"]!["merges"] = arrayForm;
        string arrayPath = Path.Combine(folder, "tokenizer-array-merges.json");
        File.WriteAllText(arrayPath, root.ToJsonString());
        const string text = "Hello scripted model! the quick brown fox";

        Assert.Equal(BpeTokenizer.Load(path).Encode(text), BpeTokenizer.Load(arrayPath).Encode(text));
    }

    [Fact]
    public void AddedTokenStripAndSingleWordOptionsShapeMatches()
    {
        BpeTokenizer tokenizer = LoadCharTokenizer(
            """[{"id":100,"content":"<mask>","lstrip":true,"rstrip":false,"single_word":false,"normalized":false,"special":true},""" +
            """ {"id":101,"content":"<r>","lstrip":false,"rstrip":true,"single_word":false,"normalized":false,"special":true},""" +
            """ {"id":102,"content":"ab","lstrip":false,"rstrip":false,"single_word":true,"normalized":true,"special":false}]""");

        Assert.Equal("a|<mask>|b", Pieces(tokenizer, "a  <mask>b"));
        Assert.Equal("a|<r>|b", Pieces(tokenizer, "a<r>  b"));
        Assert.Equal("ab| |c|a|b", Pieces(tokenizer, "ab cab"));
    }

    [Fact]
    public void EncodingIsTheSameFromManyThreads()
    {
        BpeTokenizer tokenizer = Forge.Value;
        string text = string.Join(' ', SampleTexts.Plain);
        int[] expected = tokenizer.Encode(text);

        Parallel.For(0, 64, _ => Assert.Equal(expected, tokenizer.Encode(text)));
    }

    private static string Pieces(BpeTokenizer tokenizer, string text) =>
        string.Join('|', tokenizer.Encode(text).Select(tokenizer.IdToToken));

    private static BpeTokenizer LoadCharTokenizer(string addedTokensJson)
    {
        var vocab = new JsonObject();
        for (char c = ' '; c <= '~'; c++)
        {
            vocab[c.ToString()] = (int)c;
        }

        var root = new JsonObject
        {
            ["added_tokens"] = JsonNode.Parse(addedTokensJson),
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray() },
        };
        string path = Path.Combine(TestTokenizerFolders.NewFolder("chars"), "tokenizer.json");
        File.WriteAllText(path, root.ToJsonString());
        return BpeTokenizer.Load(path);
    }
}
