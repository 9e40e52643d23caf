using System.Text;
using System.Text.Json;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>.NET's normalization (ICU; the build does not use invariant globalization, under which Normalize does nothing) against Python's unicodedata (fixture made by tools/generate_normalization_fixture.py).</summary>
public sealed class UnicodeNormalizationTests
{
    [Fact]
    public void MatchesPythonOnAllFourForms()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Tokenization", "normalization.json");
        using JsonDocument fixture = JsonDocument.Parse(File.ReadAllBytes(path));
        var failures = new StringBuilder();
        int count = 0;
        foreach (JsonElement testCase in fixture.RootElement.GetProperty("cases").EnumerateArray())
        {
            string input = testCase.GetProperty("input").GetString()!;
            Check(input, NormalizationForm.FormC, testCase.GetProperty("nfc").GetString()!, failures);
            Check(input, NormalizationForm.FormD, testCase.GetProperty("nfd").GetString()!, failures);
            Check(input, NormalizationForm.FormKC, testCase.GetProperty("nfkc").GetString()!, failures);
            Check(input, NormalizationForm.FormKD, testCase.GetProperty("nfkd").GetString()!, failures);
            count++;
        }

        Assert.True(count > 300, "fixture has too few cases");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static void Check(string input, NormalizationForm form, string expected, StringBuilder failures)
    {
        string actual = input.Normalize(form);
        if (actual != expected)
        {
            failures.AppendLine($"{form} {Escape(input)}: expected {Escape(expected)} got {Escape(actual)}");
        }
    }

    private static string Escape(string text) => string.Join(' ', text.EnumerateRunes().Select(r => $"U+{r.Value:X4}"));
}
