using System.Text;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>Our tokenizer against ONNX Runtime GenAI's (a faithful Hugging Face port) on the same tokenizer.json files.</summary>
public sealed class GenAiComparisonTests
{
    private static readonly string[] ForgeExtras =
    [
        "<｜begin▁of▁sentence｜><｜User｜>Hello scripted model!<｜Assistant｜><think>\nhmm\n</think>\n\nHi!<｜end▁of▁sentence｜>",
        "text<think>reason</think>answer",
        "  <｜end▁of▁sentence｜>  after",
        "<tool_call>{\"name\": \"f\", \"arguments\": {\"a\": 1}}</tool_call>",
        "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
        "<｜User｜><｜User｜>x<｜fim▁hole｜>",
        "<｜User｜ not a token <think",
        "Hello Hello Hello scripted scripted model model! 你好 你好",
        string.Concat(Enumerable.Repeat("Hello", 200)),
        string.Concat(Enumerable.Repeat("the", 300)) + new string('=', 3000) + string.Concat(Enumerable.Repeat(" 你好", 100)),
    ];

    private static readonly string[] Llama3Extras =
    [
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
        "1234567 89 4 123 unreachable the and",
        " unreachable unreachable",
        string.Concat(Enumerable.Repeat("Helloworld", 100)),
    ];

    private static readonly string[] Llama2Extras =
    [
        "Hello world</s>",
        "Hello world the model",
        "unknown ✓ chars ☃ and 你 and 好",
        "  two leading spaces",
    ];

    [Fact]
    public void ForgeTokenizerMatchesGenAi() => AssertMatches(TestTokenizerFolders.Forge(), ForgeExtras, nfcForReference: true);

    [Fact]
    public void Llama3StyleTokenizerMatchesGenAi() => AssertMatches(TestTokenizerFolders.Llama3(), Llama3Extras);

    [Fact]
    public void Gpt2StyleTokenizerMatchesGenAi() => AssertMatches(TestTokenizerFolders.Gpt2(), Llama3Extras[..1]);

    [Fact]
    public void Llama2ByteFallbackTokenizerEncodesLikeGenAiAndRoundTrips() =>
        AssertMatches(TestTokenizerFolders.Llama2(), Llama2Extras, compareDecode: false);

    /// <summary>
    /// GenAI decodes SentencePiece-style files its own way (keeps the leading space, ignores skip_special_tokens=false),
    /// unlike Hugging Face's Strip decoder; for those we check the Hugging Face behaviour: decode undoes encode.
    /// </summary>
    /// <remarks>
    /// GenAI skips the NFC normalizer Hugging Face applies, so for an NFC tokenizer GenAI is given the NFC form of the
    /// text (which is what Hugging Face tokenizes); our tokenizer gets the raw text.
    /// </remarks>
    private static void AssertMatches(string folder, string[] extras, bool compareDecode = true, bool nfcForReference = false)
    {
        BpeTokenizer tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        using var reference = new GenAiTokenizerReference(folder, tokenizer.VocabSize);
        var failures = new StringBuilder();
        foreach (string text in SampleTexts.Plain.Concat(extras))
        {
            int[] expected = reference.Encode(nfcForReference ? text.Normalize(NormalizationForm.FormC) : text);
            int[] actual = tokenizer.Encode(text);
            if (!expected.SequenceEqual(actual))
            {
                failures.AppendLine($"Encode({Show(text)}): genai [{string.Join(',', expected)}] ours [{string.Join(',', actual)}]");
                continue;
            }

            if (!compareDecode)
            {
                string roundTrip = tokenizer.Decode(actual, skipSpecialTokens: false);
                if (roundTrip != text)
                {
                    failures.AppendLine($"Decode(Encode({Show(text)})) = {Show(roundTrip)}");
                }

                continue;
            }

            foreach (bool skip in new[] { true, false })
            {
                string expectedText = reference.Decode(expected, skip);
                string actualText = tokenizer.Decode(expected, skip);
                if (expectedText != actualText)
                {
                    failures.AppendLine($"Decode(skip={skip}, {Show(text)}): genai {Show(expectedText)} ours {Show(actualText)}");
                }
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static string Show(string text) => "\"" + text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";
}
