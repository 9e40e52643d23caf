using System.Text.Json;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>Pre-tokenizers and normalizers against the outputs documented for Hugging Face tokenizers.</summary>
public sealed class PipelineStepTests
{
    [Theory]
    [InlineData("Removed", "the|final|countdown")]
    [InlineData("Isolated", "the|-|final|-|-|countdown")]
    [InlineData("MergedWithPrevious", "the-|final-|-|countdown")]
    [InlineData("MergedWithNext", "the|-final|-|-countdown")]
    [InlineData("Contiguous", "the|-|final|--|countdown")]
    public void SplitBehaviorsCutLikeHuggingFace(string behavior, string expected)
    {
        string json = $$"""{"type":"Split","pattern":{"String":"-"},"behavior":"{{behavior}}","invert":false}""";

        Assert.Equal(expected, PreTokenize(json, "the-final--countdown"));
    }

    [Fact]
    public void InvertedSplitKeepsTheMatches() =>
        Assert.Equal("Hey|friend|!", PreTokenize("""{"type":"Whitespace"}""", "Hey friend!"));

    [Theory]
    [InlineData(true, "Call |1|2|3| please")]
    [InlineData(false, "Call |123| please")]
    public void DigitsSplitsIndividuallyOrContiguously(bool individual, string expected) =>
        Assert.Equal(expected, PreTokenize($$"""{"type":"Digits","individual_digits":{{(individual ? "true" : "false")}}}""", "Call 123 please"));

    [Fact]
    public void Gpt2RegexSplitsContractionsAndSpaceRuns() =>
        Assert.Equal("ĠHello|Ġmy|Ġfriend|,|Ġit|'s|ĠĠ|Ġ123|Ċ", PreTokenize(
            """{"type":"ByteLevel","add_prefix_space":true,"use_regex":true}""", "Hello my friend, it's   123\n"));

    [Fact]
    public void MetaspaceReplacesSpacesAndSplitsBeforeThem() =>
        Assert.Equal("▁Hey|▁friend!|▁|▁x", PreTokenize(
            """{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}""", "Hey friend!  x"));

    [Theory]
    [InlineData("""{"type":"NFKC"}""", "ｆｕｌｌ① ﬁ", "full1 fi")]
    [InlineData("""{"type":"NFC"}""", "e\u0301", "é")]
    [InlineData("""{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]}""", "a b", "▁a▁b")]
    [InlineData("""{"type":"Prepend","prepend":"▁"}""", "", "")]
    [InlineData("""{"type":"Replace","pattern":{"Regex":"\\s+"},"content":"$1 "}""", "a \t b", "a$1 b")]
    [InlineData("""{"type":"Lowercase"}""", "HeLLo", "hello")]
    public void NormalizersTransformText(string json, string input, string expected)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        string text = input;
        foreach (NormalizerStep step in PipelineReader.ReadNormalizer(document.RootElement))
        {
            text = step.Apply(text);
        }

        Assert.Equal(expected, text);
    }

    [Fact]
    public void RegexNegatedClassesMatchWholeSurrogatePairs() =>
        Assert.Equal("😀abc| 😀", PreTokenize(
            """{"type":"Split","pattern":{"Regex":"[^\\r\\n\\p{L}\\p{N}]?\\p{L}+| ?[^\\s\\p{L}\\p{N}]+"},"behavior":"Isolated","invert":false}""",
            "😀abc 😀"));

    private static string PreTokenize(string json, string text)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var pieces = new List<PreToken> { new(text, true) };
        foreach (PreTokenizerStep step in PipelineReader.ReadPreTokenizer(document.RootElement))
        {
            var next = new List<PreToken>();
            step.Apply(pieces, next);
            pieces = next;
        }

        return string.Join('|', pieces.Select(p => p.Text));
    }
}
