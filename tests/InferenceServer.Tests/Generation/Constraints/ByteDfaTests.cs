using System.Text;
using System.Text.RegularExpressions;
using InferenceServer.Engine.Generation.Constraints;

namespace InferenceServer.Tests.Generation.Constraints;

public sealed class ByteDfaTests
{
    private static bool Matches(ByteDfa dfa, string text)
    {
        var state = 0;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            state = dfa.Next(state, b);
            if (state < 0)
            {
                return false;
            }
        }

        return dfa.Accepting(state);
    }

    [Theory]
    [InlineData("^[A-Z]{3}-\\d{2,4}$", "ABC-12", true)]
    [InlineData("^[A-Z]{3}-\\d{2,4}$", "ABC-12345", false)]
    [InlineData("^[A-Z]{3}-\\d{2,4}$", "abc-12", false)]
    [InlineData("b+c", "aabbcz", true)]
    [InlineData("b+c", "aabz", false)]
    [InlineData("^(?:cat|dog)s?$", "dogs", true)]
    [InlineData("^(?:cat|dog)s?$", "cow", false)]
    [InlineData("^a|b$", "ax", true)]
    [InlineData("^a|b$", "xb", true)]
    [InlineData("^a|b$", "xa", false)]
    [InlineData("^[^0-9]*$", "héllo wörld", true)]
    [InlineData("^[^0-9]*$", "h3llo", false)]
    [InlineData("^.{2}$", "é😀", true)]
    [InlineData("^.{2}$", "abc", false)]
    [InlineData("^\\w+@\\w+\\.com$", "joe@mail.com", true)]
    [InlineData("^\\w+@\\w+\\.com$", "joe@mail.org", false)]
    [InlineData("^[a-c]{0}x$", "x", true)]
    [InlineData("^(ab){2,}$", "ababab", true)]
    [InlineData("^(ab){2,}$", "ab", false)]
    [InlineData("^\\u00e9+$", "ééé", true)]
    [InlineData("^[αβγ]+$", "γαβ", true)]
    [InlineData("^[αβγ]+$", "γaβ", false)]
    public void PatternsMatchLikeEcmaScript(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, Matches(ByteDfa.Compile(pattern), text));
        if (text.All(char.IsAscii))
        {
            Assert.Equal(expected, Regex.IsMatch(text, pattern, RegexOptions.ECMAScript));
        }
    }

    [Theory]
    [InlineData("(?=a)b", "lookahead")]
    [InlineData("(a)\\1", "backreferences")]
    [InlineData("\\bword", "word boundaries")]
    [InlineData("a(^b)", "'^' and '$'")]
    [InlineData("a{2000}", "above 1000")]
    [InlineData("[z-a]", "out of order")]
    [InlineData("(ab", "missing ')'")]
    [InlineData("^\"$", "no string")]
    [InlineData("\\p{L}", "Unicode property")]
    [InlineData("^[^é]$", "negated character class")]
    [InlineData("[ab]*a[ab]{20}", "too complex")]
    public void UnsupportedPatternsAreRefusedWithAReason(string pattern, string why)
    {
        var e = Assert.Throws<SchemaException>(() => ByteDfa.Compile(pattern));
        Assert.Equal("pattern", e.Keyword);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesThatWouldNeedAnEscapeAreNeverTaken()
    {
        var dfa = ByteDfa.Compile("^.*$");
        Assert.Equal(-1, dfa.Next(0, (byte)'"'));
        Assert.Equal(-1, dfa.Next(0, (byte)'\\'));
        Assert.Equal(-1, dfa.Next(0, (byte)'\n'));
        Assert.Equal(-1, dfa.Next(0, 0xC0));
        Assert.True(dfa.Next(0, (byte)'a') >= 0);
    }

    [Fact]
    public void RestCountsTheFewestBytesToAMatch()
    {
        var dfa = ByteDfa.Compile("^ab{3}c?$");
        Assert.Equal(4, dfa.Rest(0));
        Assert.Equal(3, dfa.Rest(dfa.Next(0, (byte)'a')));
    }

    [Theory]
    [InlineData("uuid", "123e4567-e89b-12d3-a456-426614174000", true)]
    [InlineData("uuid", "123e4567-e89b-12d3-a456-42661417400", false)]
    [InlineData("ipv4", "192.168.0.255", true)]
    [InlineData("ipv4", "192.168.0.256", false)]
    [InlineData("ipv4", "01.2.3.4", false)]
    [InlineData("ipv6", "2001:db8::8a2e:370:7334", true)]
    [InlineData("ipv6", "::1", true)]
    [InlineData("ipv6", "fe80:0:0:0:0:0:0:1", true)]
    [InlineData("ipv6", "1:2:3:4:5:6:7:8:9", false)]
    [InlineData("ipv6", "1::2::3", false)]
    [InlineData("hostname", "api.deepseek.com", true)]
    [InlineData("hostname", "-bad.example", false)]
    [InlineData("email", "first.last+tag@example.co.uk", true)]
    [InlineData("email", "nobody@localhost", false)]
    [InlineData("email", "two@@example.com", false)]
    public void FormatsAreBuiltInPatterns(string format, string text, bool expected) =>
        Assert.Equal(expected, Matches(StringFormats.For(format)!, text));
}
