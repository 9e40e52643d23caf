using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Tokenization.WordPiece;

/// <summary>
/// BERT's normalizer as Hugging Face tokenizers runs it: drop control characters and map whitespace to spaces,
/// put spaces around CJK ideographs, strip accents (NFD, then drop non-spacing marks), lower-case.
/// </summary>
internal sealed record BertNormalizer(bool CleanText, bool HandleChineseChars, bool StripAccents, bool Lowercase)
{
    public string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (CleanText)
            {
                if (rune.Value is 0 or 0xFFFD || IsControl(rune))
                {
                    continue;
                }

                if (IsWhitespace(rune))
                {
                    builder.Append(' ');
                    continue;
                }
            }

            if (HandleChineseChars && IsCjk(rune.Value))
            {
                builder.Append(' ').Append(rune.ToString()).Append(' ');
                continue;
            }

            builder.Append(rune.ToString());
        }

        var result = builder.ToString();
        if (StripAccents)
        {
            result = RemoveMarks(result.Normalize(NormalizationForm.FormD));
        }

        return Lowercase ? result.ToLowerInvariant() : result;
    }

    internal static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune) =>
        rune.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static string RemoveMarks(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>The CJK Unified Ideographs blocks BERT's tokenizer splits into single characters.</summary>
    internal static bool IsCjk(int c) =>
        c is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
