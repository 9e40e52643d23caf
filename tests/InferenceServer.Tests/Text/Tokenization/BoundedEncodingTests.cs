using System.Text;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>
/// <see cref="BpeTokenizer.TryEncode"/>: a text that fits is encoded exactly as <see cref="BpeTokenizer.Encode"/> does,
/// whatever the limit above its count; a text that does not is refused with a true lower bound, after producing no more
/// tokens than the limit allows (plus one pre-token), however long the text.
/// </summary>
public sealed class BoundedEncodingTests
{
    private static readonly Dictionary<string, Lazy<BpeTokenizer>> Tokenizers = new()
    {
        ["forge"] = new(() => BpeTokenizer.Load(Path.Combine(TestTokenizerFolders.Forge(), "tokenizer.json"))),
        ["llama3"] = new(() => BpeTokenizer.Load(Path.Combine(TestTokenizerFolders.Llama3(), "tokenizer.json"))),
        ["gpt2"] = new(() => BpeTokenizer.Load(Path.Combine(TestTokenizerFolders.Gpt2(), "tokenizer.json"))),
        ["llama2"] = new(() => BpeTokenizer.Load(Path.Combine(TestTokenizerFolders.Llama2(), "tokenizer.json"))),
    };

    public static TheoryData<string> Names() => [.. Tokenizers.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_text_that_fits_is_encoded_exactly_at_every_limit_from_its_count(string name)
    {
        var tokenizer = Tokenizers[name].Value;
        foreach (var text in SampleTexts.Plain.Append(string.Concat(SampleTexts.Plain)))
        {
            var exact = tokenizer.Encode(text);
            for (var limit = exact.Length; limit <= exact.Length + 3; limit++)
            {
                Assert.True(tokenizer.TryEncode(text, limit, out var ids, out var count), $"{name}: refused \"{text}\" at {limit} ({exact.Length} tokens)");
                Assert.Equal(exact, ids);
                Assert.Equal(exact.Length, count);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_text_one_token_over_is_refused_with_its_count(string name)
    {
        var tokenizer = Tokenizers[name].Value;
        foreach (var text in SampleTexts.Plain.Append(string.Concat(SampleTexts.Plain)).Where(t => t.Length > 0))
        {
            var exact = tokenizer.Encode(text).Length;
            Assert.False(tokenizer.TryEncode(text, exact - 1, out _, out var atLeast));
            Assert.Equal(exact, atLeast);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_15_MB_prompt_is_refused_after_at_most_the_limits_tokens(string name)
    {
        var tokenizer = Tokenizers[name].Value;
        var prompt = Repeat(string.Join(" ", SampleTexts.Plain), 15 * 1024 * 1024);
        var oneCopy = tokenizer.Encode(string.Join(" ", SampleTexts.Plain)).Length;

        Assert.False(tokenizer.TryEncode(prompt, 4096, out var produced, out var atLeast));

        Assert.InRange(produced.Length, 0, 4096 + oneCopy);
        Assert.True(atLeast > 4096);
    }

    [Fact]
    public void A_15_MB_word_without_spaces_is_refused_by_its_length_alone()
    {
        var tokenizer = Tokenizers["llama2"].Value;

        Assert.False(tokenizer.TryEncode(new string('x', 15 * 1024 * 1024), 4096, out var produced, out var atLeast));

        Assert.Empty(produced);
        Assert.True(atLeast > 4096);
    }

    private static string Repeat(string text, int length)
    {
        var output = new StringBuilder(length + text.Length);
        while (output.Length < length)
        {
            output.Append(text).Append('\n');
        }

        return output.ToString();
    }
}
