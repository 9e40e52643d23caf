using System.Text;
using System.Text.RegularExpressions;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// Compiles tokenizer.json regexes (written for Oniguruma, which matches code points) for .NET, which matches UTF-16
/// code units: every negated class <c>[^...]</c> also matches a whole surrogate pair, so an emoji is one character.
/// </summary>
internal static class PatternCompiler
{
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private const string SurrogatePair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";

    public static Regex Compile(string pattern) =>
        new(RewriteNegatedClasses(pattern), RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public static Regex Literal(string text) => new(Regex.Escape(text), RegexOptions.CultureInvariant);

    internal static string RewriteNegatedClasses(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 64);
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                result.Append(c).Append(pattern[i + 1]);
                i += 2;
                continue;
            }

            if (c != '[')
            {
                result.Append(c);
                i++;
                continue;
            }

            int end = FindClassEnd(pattern, i);
            bool negated = i + 1 < pattern.Length && pattern[i + 1] == '^';
            if (!negated || end < 0)
            {
                int stop = end < 0 ? pattern.Length : end + 1;
                result.Append(pattern, i, stop - i);
                i = stop;
                continue;
            }

            string body = pattern.Substring(i + 2, end - i - 2);
            result.Append("(?:").Append(SurrogatePair).Append("|[^").Append(body).Append(@"\uD800-\uDFFF])");
            i = end + 1;
        }

        return result.ToString();
    }

    private static int FindClassEnd(string pattern, int start)
    {
        int i = start + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        while (i < pattern.Length)
        {
            if (pattern[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (pattern[i] == '[')
            {
                return -1;
            }

            if (pattern[i] == ']')
            {
                return i;
            }

            i++;
        }

        return -1;
    }
}
