using System.Text;

namespace InferenceServer.Engine.Generation.Constraints;

// Name phases' bookkeeping and the literals of the Hermes form.
public sealed partial class TokenGrammar
{
    /// <summary>Records which name a completed name phase matched (the first complete one).</summary>
    private static void Choose(ref GrammarState s, GrammarPhase phase)
    {
        var names = phase.Names!;
        for (var i = 0; i < names.Length; i++)
        {
            if ((s.Names & (UInt128.One << i)) != 0 && names[i].Length == s.Position)
            {
                s.Chosen = i;
                return;
            }
        }
    }

    private static bool NameComplete(in GrammarState s, GrammarPhase phase)
    {
        var names = phase.Names!;
        for (var i = 0; i < names.Length; i++)
        {
            if ((s.Names & (UInt128.One << i)) != 0 && names[i].Length == s.Position)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The pieces' bytes as one literal, whitespace allowed between pieces (and before and after, when asked).</summary>
    private static GrammarPhase JsonLiteral(bool leading, string[] pieces, bool trailing)
    {
        var bytes = pieces.Select(p => Encoding.UTF8.GetBytes(p)).ToArray();
        var literal = bytes.SelectMany(b => b).ToArray();
        var gaps = new bool[literal.Length + 1];
        var at = 0;
        foreach (var piece in bytes[..^1])
        {
            at += piece.Length;
            gaps[at] = true;
        }

        gaps[0] = leading;
        gaps[literal.Length] = trailing;
        return new GrammarPhase(GrammarPhaseKind.Literal, Literal: literal, Gaps: gaps);
    }
}
