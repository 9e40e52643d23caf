using System.Text;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// Parses a JSON Schema <c>pattern</c> (ECMA-262 syntax, no flags) into a <see cref="ByteNfa"/> over the UTF-8 bytes
/// of the string. The subset: literals and escapes (<c>\d \w \s \D \W \S \. \xHH \uHHHH</c>, identity escapes),
/// classes with ranges and negation, <c>.</c>, groups (<c>(…)</c>, <c>(?:…)</c>, <c>(?&lt;name&gt;…)</c>),
/// alternation, <c>* + ? {m} {m,} {m,n}</c> (lazy forms too: same language), and <c>^</c> / <c>$</c> at the ends of
/// top-level alternatives. The search is unanchored as in ECMA-262: an alternative without <c>^</c> may be preceded,
/// and without <c>$</c> followed, by any characters. Refused, with a <see cref="SchemaException"/>: lookaround,
/// backreferences, word boundaries, Unicode property escapes, anchors elsewhere. Characters are code points (as with
/// ECMA-262's <c>u</c> flag: <c>.</c> takes a whole astral character, written as valid UTF-8). Approximations: <c>\s</c> is the
/// space character alone and <c>.</c> admits U+2028/U+2029 (a JSON string written without escapes holds no other
/// whitespace or line terminator anyway).
/// </summary>
internal sealed partial class PatternParser
{
    private const int MaxRepeat = 1000;
    private readonly string _p;
    private readonly ByteNfa _nfa;
    private int _pos;

    private PatternParser(string pattern, ByteNfa nfa)
    {
        _p = pattern;
        _nfa = nfa;
    }

    /// <summary>Builds the NFA of <paramref name="pattern"/>; returns its start and accepting states.</summary>
    public static (int Start, int Accept) Parse(string pattern, ByteNfa nfa)
    {
        var parser = new PatternParser(pattern, nfa);
        var start = nfa.Add();
        var accept = nfa.Add();
        do
        {
            var s = nfa.Add();
            nfa.Empty(start, s);
            if (parser.Peek('^'))
            {
                parser._pos++;
            }
            else
            {
                AnyChar().Emit(nfa, s, s);
            }

            var e = parser.Sequence(s, topLevel: true);
            if (parser.Peek('$'))
            {
                parser._pos++;
            }
            else
            {
                AnyChar().Emit(nfa, e, e);
            }

            nfa.Empty(e, accept);
        }
        while (parser.Eat('|'));

        if (parser._pos < pattern.Length)
        {
            throw parser.Error(pattern[parser._pos] == ')' ? "unbalanced ')'" : $"unexpected '{pattern[parser._pos]}'");
        }

        return (start, accept);
    }

    private static PatternCharSet AnyChar() => PatternCharSet.Where(c => c >= ' ', nonAscii: true);

    private bool Peek(char c) => _pos < _p.Length && _p[_pos] == c;

    private bool Eat(char c)
    {
        if (!Peek(c))
        {
            return false;
        }

        _pos++;
        return true;
    }

    private SchemaException Error(string why) => new("pattern", $"the pattern cannot be enforced: {why} at offset {_pos}");

    private int Alternation(int start)
    {
        var end = _nfa.Add();
        do
        {
            var s = _nfa.Add();
            _nfa.Empty(start, s);
            _nfa.Empty(Sequence(s, topLevel: false), end);
        }
        while (Eat('|'));

        return end;
    }

    private int Sequence(int start, bool topLevel)
    {
        var at = start;
        while (_pos < _p.Length && _p[_pos] is not ('|' or ')'))
        {
            if (topLevel && _p[_pos] == '$' && (_pos + 1 == _p.Length || _p[_pos + 1] == '|'))
            {
                break;
            }

            at = Item(at);
        }

        return at;
    }

    /// <summary>One atom and its quantifier. Each copy the quantifier needs is parsed again from the atom's text.</summary>
    private int Item(int from)
    {
        var atomAt = _pos;
        var s = _nfa.Add();
        _nfa.Empty(from, s);
        var e = Atom(s);
        if (!Quantifier(out var min, out var max))
        {
            return e;
        }

        var after = _pos;
        if (max == 0)
        {
            var skip = _nfa.Add();
            _nfa.Empty(from, skip);
            return skip;
        }

        var copyStart = s;
        for (var i = 2; i <= Math.Max(min, 1); i++)
        {
            copyStart = _nfa.Add();
            _nfa.Empty(e, copyStart);
            _pos = atomAt;
            e = Atom(copyStart);
        }

        if (min == 0)
        {
            _nfa.Empty(copyStart, e);
        }

        if (max < 0)
        {
            _nfa.Empty(e, copyStart);
        }
        else
        {
            for (var i = Math.Max(min, 1) + 1; i <= max; i++)
            {
                var optional = _nfa.Add();
                _nfa.Empty(e, optional);
                _pos = atomAt;
                e = Atom(optional);
                _nfa.Empty(optional, e);
            }
        }

        _pos = after;
        return e;
    }

    /// <summary>Reads <c>* + ? {m} {m,} {m,n}</c> (and a lazy <c>?</c> after it); max −1 is unbounded.</summary>
    private bool Quantifier(out int min, out int max)
    {
        (min, max) = (0, -1);
        if (_pos >= _p.Length)
        {
            return false;
        }

        switch (_p[_pos])
        {
            case '*':
                _pos++;
                break;
            case '+':
                _pos++;
                min = 1;
                break;
            case '?':
                _pos++;
                max = 1;
                break;
            case '{' when Braces(out min, out max):
                break;
            default:
                return false;
        }

        Eat('?');
        return true;
    }

    private bool Braces(out int min, out int max)
    {
        (min, max) = (0, -1);
        var close = _p.IndexOf('}', _pos);
        if (close < 0)
        {
            return false;
        }

        var body = _p[(_pos + 1)..close];
        var comma = body.IndexOf(',');
        var low = comma < 0 ? body : body[..comma];
        var high = comma < 0 ? body : body[(comma + 1)..];
        if (!int.TryParse(low, out min) || (high.Length > 0 && !int.TryParse(high, out max)) || low.Any(c => !char.IsAsciiDigit(c)) || high.Any(c => !char.IsAsciiDigit(c)))
        {
            return false;
        }

        if (Math.Max(min, max) > MaxRepeat || (max >= 0 && max < min))
        {
            throw Error($"repetition {{{body}}} is out of order or above {MaxRepeat}");
        }

        _pos = close + 1;
        return true;
    }

    private int Atom(int from)
    {
        var c = _p[_pos];
        switch (c)
        {
            case '(':
                _pos++;
                if (Eat('?'))
                {
                    if (Peek('<') && _pos + 1 < _p.Length && _p[_pos + 1] is not ('=' or '!'))
                    {
                        var close = _p.IndexOf('>', _pos);
                        _pos = close < 0 ? throw Error("unterminated group name") : close + 1;
                    }
                    else if (!Eat(':'))
                    {
                        throw Error("lookahead and lookbehind are not supported");
                    }
                }

                var end = Alternation(from);
                return Eat(')') ? end : throw Error("missing ')'");
            case '[':
                _pos++;
                return Emit(Class(), from);
            case '.':
                _pos++;
                return Emit(AnyChar(), from);
            case '\\':
                _pos++;
                return Emit(Escape(inClass: false), from);
            case '^' or '$':
                throw Error("'^' and '$' are supported only at the start and end of the pattern's top-level alternatives");
            case '*' or '+' or '?':
                throw Error($"nothing to repeat before '{c}'");
            default:
                var rune = Rune.GetRuneAt(_p, _pos);
                _pos += rune.Utf16SequenceLength;
                return Emit(PatternCharSet.Of(rune), from);
        }
    }

    private int Emit(PatternCharSet set, int from)
    {
        var to = _nfa.Add();
        set.Emit(_nfa, from, to);
        return to;
    }

}
