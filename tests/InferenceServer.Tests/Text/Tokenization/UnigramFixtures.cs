using System.Text.Json;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>
/// The Unigram fixtures: two tokenizer.json files trained with SentencePiece and laid out as transformers' T5 and UMT5
/// converters do, and the ids Hugging Face tokenizers gives on the fixture strings (tools/unigram-fixtures makes all three).
/// </summary>
internal static class UnigramFixtures
{
    public const string T5 = "t5-tokenizer.json";
    public const string Umt5 = "umt5-tokenizer.json";

    private static readonly Lazy<Dictionary<string, ExpectedCase[]>> Expected = new(ReadExpected);
    private static readonly Lazy<UnigramTokenizer> T5Tokenizer = new(() => UnigramTokenizer.FromTokenizerJson(PathOf(T5)));
    private static readonly Lazy<UnigramTokenizer> Umt5Tokenizer = new(() => UnigramTokenizer.FromTokenizerJson(PathOf(Umt5)));

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Text", "Tokenization", "Unigram", file);

    public static UnigramTokenizer Tokenizer(string file) => file == T5 ? T5Tokenizer.Value : Umt5Tokenizer.Value;

    public static IReadOnlyList<ExpectedCase> Cases(string file) => Expected.Value[file];

    private static Dictionary<string, ExpectedCase[]> ReadExpected()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(PathOf("expected.json")));
        var result = new Dictionary<string, ExpectedCase[]>();
        foreach (JsonProperty file in document.RootElement.GetProperty("tokenizers").EnumerateObject())
        {
            result[file.Name] = file.Value.EnumerateArray().Select(c => new ExpectedCase(
                c.GetProperty("text").GetString()!,
                c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
                c.GetProperty("plain").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
                c.GetProperty("decoded").GetString()!)).ToArray();
        }

        return result;
    }

    /// <summary>One fixture string and what Hugging Face tokenizers made of it.</summary>
    internal sealed record ExpectedCase(string Text, int[] Ids, int[] PlainIds, string Decoded);
}
