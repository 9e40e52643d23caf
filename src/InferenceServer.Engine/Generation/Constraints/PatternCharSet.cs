using System.Text;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// A set of characters as a pattern's byte automaton needs it: any subset of ASCII, plus either every non-ASCII
/// character or a short list of them. (The complement of a list cannot be written in this form; such classes are refused.)
/// </summary>
internal sealed class PatternCharSet
{
    public const int MaxListed = 512;

    public bool[] Ascii { get; } = new bool[128];

    public bool AllNonAscii { get; set; }

    public HashSet<Rune> NonAscii { get; } = [];

    public static PatternCharSet Of(Rune r)
    {
        var set = new PatternCharSet();
        set.Add(r);
        return set;
    }

    public static PatternCharSet Where(Func<char, bool> ascii, bool nonAscii)
    {
        var set = new PatternCharSet { AllNonAscii = nonAscii };
        for (var c = 0; c < 128; c++)
        {
            set.Ascii[c] = ascii((char)c);
        }

        return set;
    }

    public void Add(Rune r)
    {
        if (r.IsAscii)
        {
            Ascii[r.Value] = true;
        }
        else if (!AllNonAscii)
        {
            NonAscii.Add(r);
        }
    }

    public void AddRange(Rune lo, Rune hi)
    {
        if (hi.Value < lo.Value)
        {
            throw new SchemaException("pattern", $"the character range {lo}-{hi} is out of order");
        }

        if (hi.Value >= 128 && !AllNonAscii && hi.Value - Math.Max(lo.Value, 128) + 1 + NonAscii.Count > MaxListed)
        {
            throw new SchemaException("pattern", $"the character range {lo}-{hi} lists too many non-ASCII characters (at most {MaxListed})");
        }

        for (var v = lo.Value; v <= hi.Value; v++)
        {
            if (Rune.IsValid(v))
            {
                Add(new Rune(v));
            }
        }
    }

    public void UnionWith(PatternCharSet other)
    {
        for (var c = 0; c < 128; c++)
        {
            Ascii[c] |= other.Ascii[c];
        }

        AllNonAscii |= other.AllNonAscii;
        NonAscii.UnionWith(other.NonAscii);
        if (AllNonAscii)
        {
            NonAscii.Clear();
        }
    }

    public PatternCharSet Complement()
    {
        if (NonAscii.Count > 0)
        {
            throw new SchemaException("pattern", "a negated character class that lists non-ASCII characters is not supported");
        }

        var set = new PatternCharSet { AllNonAscii = !AllNonAscii };
        for (var c = 0; c < 128; c++)
        {
            set.Ascii[c] = !Ascii[c];
        }

        return set;
    }

    /// <summary>Adds edges from <paramref name="from"/> to <paramref name="to"/> for every character of the set.</summary>
    public void Emit(ByteNfa nfa, int from, int to)
    {
        for (var c = 0; c < 128; c++)
        {
            if (!Ascii[c])
            {
                continue;
            }

            var end = c;
            while (end + 1 < 128 && Ascii[end + 1])
            {
                end++;
            }

            nfa.Range(from, (byte)c, (byte)end, to);
            c = end;
        }

        if (AllNonAscii)
        {
            nfa.AnyMultibyte(from, to);
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        foreach (var r in NonAscii)
        {
            var n = r.EncodeToUtf8(utf8);
            nfa.Bytes(from, utf8[..n], to);
        }
    }
}
