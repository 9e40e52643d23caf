using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Tokenization.WordPiece;

/// <summary>BERT's pre-tokenizer: split on whitespace (dropped) and on punctuation (each mark its own word).</summary>
internal static class BertPreTokenizer
{
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var start = -1;
        var i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var width);
            if (BertNormalizer.IsWhitespace(rune) || char.IsWhiteSpace(text, i))
            {
                Flush(text, ref start, i, words);
            }
            else if (IsPunctuation(rune))
            {
                Flush(text, ref start, i, words);
                words.Add(text.Substring(i, width));
            }
            else if (start < 0)
            {
                start = i;
            }

            i += width;
        }

        Flush(text, ref start, text.Length, words);
        return words;
    }

    /// <summary>ASCII symbols count as punctuation too (BERT treats <c>$</c>, <c>^</c>, <c>`</c> as punctuation).</summary>
    internal static bool IsPunctuation(Rune rune)
    {
        var c = rune.Value;
        if (c is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    private static void Flush(string text, ref int start, int end, List<string> words)
    {
        if (start >= 0)
        {
            words.Add(text[start..end]);
            start = -1;
        }
    }
}
