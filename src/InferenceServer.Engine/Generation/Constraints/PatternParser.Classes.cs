using System.Text;

namespace InferenceServer.Engine.Generation.Constraints;

// Character classes and escapes of the pattern parser.
internal sealed partial class PatternParser
{
    private PatternCharSet Class()
    {
        var negated = Eat('^');
        var set = new PatternCharSet();
        while (!Eat(']'))
        {
            if (_pos >= _p.Length)
            {
                throw Error("missing ']'");
            }

            var first = ClassAtom(out var single);
            if (single is { } lo && Peek('-') && _pos + 1 < _p.Length && _p[_pos + 1] != ']')
            {
                _pos++;
                ClassAtom(out var hiRune);
                set.AddRange(lo, hiRune ?? throw Error("a class escape cannot end a range"));
            }
            else
            {
                set.UnionWith(first);
            }
        }

        return negated ? set.Complement() : set;
    }

    private PatternCharSet ClassAtom(out Rune? single)
    {
        PatternCharSet set;
        if (Eat('\\'))
        {
            set = Eat('b') ? PatternCharSet.Of(new Rune('\b')) : Escape(inClass: true);
        }
        else
        {
            var rune = Rune.GetRuneAt(_p, _pos);
            _pos += rune.Utf16SequenceLength;
            set = PatternCharSet.Of(rune);
        }

        single = Single(set);
        return set;
    }

    private static Rune? Single(PatternCharSet set)
    {
        if (set.AllNonAscii || set.NonAscii.Count + set.Ascii.Count(a => a) != 1)
        {
            return null;
        }

        return set.NonAscii.Count == 1 ? set.NonAscii.First() : new Rune(Array.IndexOf(set.Ascii, true));
    }

    private PatternCharSet Escape(bool inClass)
    {
        if (_pos >= _p.Length)
        {
            throw Error("the pattern ends with '\\'");
        }

        var c = _p[_pos++];
        return c switch
        {
            'd' => PatternCharSet.Where(char.IsAsciiDigit, nonAscii: false),
            'D' => PatternCharSet.Where(ch => !char.IsAsciiDigit(ch), nonAscii: true),
            'w' => PatternCharSet.Where(IsWord, nonAscii: false),
            'W' => PatternCharSet.Where(ch => !IsWord(ch), nonAscii: true),
            's' => PatternCharSet.Where(ch => ch == ' ', nonAscii: false),
            'S' => PatternCharSet.Where(ch => ch != ' ', nonAscii: true),
            'n' => PatternCharSet.Of(new Rune('\n')),
            't' => PatternCharSet.Of(new Rune('\t')),
            'r' => PatternCharSet.Of(new Rune('\r')),
            'f' => PatternCharSet.Of(new Rune('\f')),
            'v' => PatternCharSet.Of(new Rune('\v')),
            '0' => PatternCharSet.Of(new Rune(0)),
            'x' => PatternCharSet.Of(new Rune(Hex(2))),
            'u' => PatternCharSet.Of(Utf16Escape()),
            'b' or 'B' => throw Error("word boundaries are not supported"),
            'p' or 'P' => throw Error("Unicode property escapes are not supported"),
            'c' or 'k' => throw Error($"'\\{c}' is not supported"),
            >= '1' and <= '9' => throw Error(inClass ? "octal escapes are not supported" : "backreferences are not supported"),
            _ when char.IsAsciiLetter(c) => throw Error($"unknown escape '\\{c}'"),
            _ => PatternCharSet.Of(Rune.GetRuneAt(_p, _pos - 1)),
        };
    }

    private Rune Utf16Escape()
    {
        var unit = Hex(4);
        if (char.IsHighSurrogate((char)unit) && _pos + 6 <= _p.Length && _p[_pos] == '\\' && _p[_pos + 1] == 'u')
        {
            _pos += 2;
            var low = Hex(4);
            return char.IsLowSurrogate((char)low) ? new Rune((char)unit, (char)low) : throw Error("unpaired surrogate");
        }

        return Rune.IsValid(unit) ? new Rune(unit) : throw Error("unpaired surrogate");
    }

    private int Hex(int digits)
    {
        if (_pos + digits > _p.Length || !int.TryParse(_p.AsSpan(_pos, digits), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var value))
        {
            throw Error("bad hexadecimal escape");
        }

        _pos += digits;
        return value;
    }

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
