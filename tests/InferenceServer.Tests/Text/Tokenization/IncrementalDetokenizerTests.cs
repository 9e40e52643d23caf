using System.Text;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Tests.Text.Tokenization;

public sealed class IncrementalDetokenizerTests
{
    private const string MultiByteText = "emoji 😀👍🏽 family 👨‍👩‍👧 flag 🇩🇪 你好，世界 é ñ Ǆ ∑ <｜User｜>end<think>x</think>";

    private static readonly Lazy<BpeTokenizer> Forge = new(() =>
        BpeTokenizer.Load(Path.Combine(TestTokenizerFolders.Forge(), "tokenizer.json")));

    private static readonly Lazy<BpeTokenizer> Llama2 = new(() =>
        BpeTokenizer.Load(Path.Combine(TestTokenizerFolders.Llama2(), "tokenizer.json")));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ByteLevelStreamNeverEmitsBrokenCharactersAndEqualsDecode(bool skipSpecialTokens)
    {
        BpeTokenizer tokenizer = Forge.Value;
        int[] ids = tokenizer.Encode(MultiByteText);
        Assert.Contains(ids, id => tokenizer.GetTokenBytes(id).Length == 1 && tokenizer.GetTokenBytes(id)[0] >= 0x80);

        string streamed = Stream(tokenizer, ids, skipSpecialTokens);

        Assert.Equal(tokenizer.Decode(ids, skipSpecialTokens), streamed);
        Assert.DoesNotContain('\uFFFD', streamed);
    }

    [Fact]
    public void ByteFallbackStreamStripsTheLeadingSpaceOnceAndEqualsDecode()
    {
        BpeTokenizer tokenizer = Llama2.Value;
        const string text = "Hello ☃ world 😀 你好";
        int[] ids = tokenizer.Encode(text);

        string streamed = Stream(tokenizer, ids, skipSpecialTokens: true);

        Assert.Equal(text, streamed);
        Assert.Equal(tokenizer.Decode(ids, skipSpecialTokens: true), streamed);
    }

    [Fact]
    public void AContinuationKeepsItsLeadingSpaceSoPromptPlusOutputIsTheWholeText()
    {
        BpeTokenizer tokenizer = Llama2.Value;
        int[] prompt = tokenizer.Encode("Hello");
        int[] all = tokenizer.Encode("Hello world the model");
        Assert.Equal(prompt, all[..prompt.Length]);
        var detokenizer = new IncrementalDetokenizer(tokenizer, skipSpecialTokens: true, continuesText: true);

        var output = new StringBuilder();
        foreach (int id in all[prompt.Length..])
        {
            output.Append(detokenizer.Push(id));
        }

        Assert.Equal(" world the model", output.Append(detokenizer.Flush()).ToString());
        Assert.Equal("world the model", tokenizer.Decode(all[prompt.Length..], skipSpecialTokens: true));
    }

    [Fact]
    public void IncompleteCharacterIsHeldThenFlushedAsReplacementCharacter()
    {
        BpeTokenizer tokenizer = Forge.Value;
        int[] ids = tokenizer.Encode("a😀");
        int[] truncated = ids[..^1];
        var detokenizer = new IncrementalDetokenizer(tokenizer, skipSpecialTokens: true);

        var pushed = new StringBuilder();
        foreach (int id in truncated)
        {
            pushed.Append(detokenizer.Push(id));
        }

        Assert.Equal("a", pushed.ToString());
        Assert.Equal("\uFFFD", detokenizer.Flush());
        Assert.Equal("a\uFFFD", tokenizer.Decode(truncated, skipSpecialTokens: true));
    }

    [Fact]
    public void SpecialTokensAreSkippedOrKeptAsAsked()
    {
        BpeTokenizer tokenizer = Forge.Value;
        int user = tokenizer.TokenToId("<｜User｜>")!.Value;

        Assert.Equal(string.Empty, new IncrementalDetokenizer(tokenizer, skipSpecialTokens: true).Push(user));
        Assert.Equal("<｜User｜>", new IncrementalDetokenizer(tokenizer, skipSpecialTokens: false).Push(user));
    }

    private static string Stream(BpeTokenizer tokenizer, int[] ids, bool skipSpecialTokens)
    {
        var detokenizer = new IncrementalDetokenizer(tokenizer, skipSpecialTokens);
        var all = new StringBuilder();
        foreach (int id in ids)
        {
            string piece = detokenizer.Push(id);
            Assert.DoesNotContain('\uFFFD', piece);
            Assert.True(IsWellFormed(piece), $"piece after token {id} has a lone surrogate");
            all.Append(piece);
        }

        all.Append(detokenizer.Flush());
        return all.ToString();
    }

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
