using System.Text;
using System.Text.Json.Nodes;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>A Mistral-style file: Metaspace pre-tokenizer with prepend_scheme "first", Metaspace decoder, byte fallback.</summary>
public sealed class MetaspaceTokenizerTests
{
    private static readonly Lazy<BpeTokenizer> Tokenizer = new(Load);

    [Fact]
    public void PrependsTheWordMarkOnlyAtTheStartOfTheInput()
    {
        Assert.Equal("▁Hello|▁world", Pieces("Hello world"));
        Assert.Equal("<s>|H|e|l|l|o|▁world", Pieces("<s>Hello world"));
    }

    [Fact]
    public void UnknownCharactersFallBackToBytes() =>
        Assert.Equal("▁Hello|▁|<0xE2>|<0x98>|<0x83>", Pieces("Hello ☃"));

    [Theory]
    [InlineData("Hello world")]
    [InlineData("Hello ☃ world  x")]
    public void DecodeDropsTheLeadingMarkAndStreamingAgrees(string text)
    {
        BpeTokenizer tokenizer = Tokenizer.Value;
        int[] ids = tokenizer.Encode(text);
        var detokenizer = new IncrementalDetokenizer(tokenizer, skipSpecialTokens: true);
        var streamed = new StringBuilder();
        foreach (int id in ids)
        {
            streamed.Append(detokenizer.Push(id));
        }

        streamed.Append(detokenizer.Flush());

        Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Equal(text, streamed.ToString());
    }

    private static string Pieces(string text) =>
        string.Join('|', Tokenizer.Value.Encode(text).Select(Tokenizer.Value.IdToToken));

    private static BpeTokenizer Load()
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (int b = 0; b < 256; b++)
        {
            vocab[$"<0x{b:X2}>"] = 3 + b;
        }

        int next = 259;
        foreach (string symbol in new[] { "▁", "H", "e", "l", "o", "w", "r", "d", "x", "▁H", "▁He", "▁Hel", "▁Hell", "▁Hello", "▁w", "▁wo", "▁wor", "▁worl", "▁world" })
        {
            vocab[symbol] = next++;
        }

        var root = new JsonObject
        {
            ["added_tokens"] = JsonNode.Parse("""[{"id":1,"content":"<s>","special":true,"normalized":false},{"id":2,"content":"</s>","special":true,"normalized":false}]"""),
            ["pre_tokenizer"] = JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}"""),
            ["decoder"] = JsonNode.Parse("""{"type":"Sequence","decoders":[{"type":"ByteFallback"},{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}]}"""),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["unk_token"] = "<unk>",
                ["byte_fallback"] = true,
                ["vocab"] = vocab,
                ["merges"] = JsonNode.Parse("""["▁ H","▁H e","▁He l","▁Hel l","▁Hell o","▁ w","▁w o","▁wo r","▁wor l","▁worl d"]"""),
            },
        };
        string path = Path.Combine(TestTokenizerFolders.NewFolder("metaspace"), "tokenizer.json");
        File.WriteAllText(path, root.ToJsonString());
        return BpeTokenizer.Load(path);
    }
}
