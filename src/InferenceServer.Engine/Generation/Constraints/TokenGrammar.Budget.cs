namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// The budget math: how many bytes at least finish the grammar from a state (an upper bound on the tokens needed, as
/// every byte is a token). The name a call picks also picks its arguments' schema, so the rest after the name phase
/// is measured per name: a long name with a long schema is not admitted on the strength of a short name's short one.
/// </summary>
public sealed partial class TokenGrammar
{
    /// <summary>The index of the name phase, or −1.</summary>
    private readonly int _namePhase;

    /// <summary>Per name <c>i</c> and phase <c>k</c>: the fewest bytes of phases <c>k…</c> when name <c>i</c> is chosen.</summary>
    private readonly int[][] _minAfterChoice;

    /// <summary>Per phase <c>k</c>: the fewest bytes of phases <c>k…</c> over every name.</summary>
    private readonly int[] _minAfter;

    /// <summary>An upper bound on the tokens that finish the grammar from <paramref name="s"/> (every byte is a token).</summary>
    internal int MinTokensToFinish(in GrammarState s)
    {
        if (s.Phase >= Phases.Length)
        {
            return 0;
        }

        var phase = Phases[s.Phase];
        if (s.Phase == _namePhase)
        {
            var names = phase.Names!;
            var best = int.MaxValue;
            for (var i = 0; i < names.Length; i++)
            {
                if ((s.Names & (UInt128.One << i)) != 0)
                {
                    best = Math.Min(best, names[i].Length - s.Position + _minAfterChoice[i][s.Phase + 1]);
                }
            }

            return best == int.MaxValue ? _minAfter[s.Phase + 1] : best;
        }

        var here = phase.Kind switch
        {
            GrammarPhaseKind.Special => 1,
            GrammarPhaseKind.Literal => phase.Literal!.Length - s.Position,
            GrammarPhaseKind.Json => s.Program >= 0 && phase.Schemas![s.Program] is { } program ? program.MinBytesToFinish(s.Schema) : s.Json.MinBytesToFinish,
            _ => 0,
        };
        var after = _namePhase >= 0 && s.Phase > _namePhase ? _minAfterChoice[s.Chosen][s.Phase + 1] : _minAfter[s.Phase + 1];
        return here + after;
    }

    private static (int NamePhase, int[][] PerChoice, int[] Min) MeasureTails(GrammarPhase[] phases)
    {
        var namePhase = Array.FindIndex(phases, p => p.Kind == GrammarPhaseKind.Name);
        var choices = namePhase >= 0 ? phases[namePhase].Names!.Length : 1;
        var perChoice = new int[choices][];
        var min = new int[phases.Length + 1];
        Array.Fill(min, int.MaxValue);
        for (var c = 0; c < choices; c++)
        {
            var tail = perChoice[c] = new int[phases.Length + 1];
            min[phases.Length] = 0;
            for (var k = phases.Length - 1; k >= 0; k--)
            {
                tail[k] = tail[k + 1] + MinFresh(phases[k], c);
                min[k] = Math.Min(min[k], tail[k]);
            }
        }

        return (namePhase, perChoice, min);
    }

    private static int MinFresh(GrammarPhase phase, int choice) => phase.Kind switch
    {
        GrammarPhaseKind.Special => 1,
        GrammarPhaseKind.Literal => phase.Literal!.Length,
        GrammarPhaseKind.Name => phase.Names![choice].Length,
        GrammarPhaseKind.Json => phase.Schemas is { } schemas ? (schemas.Length == 1 ? schemas[0] : schemas[choice])?.MinLength ?? 2 : 2,
        _ => 0,
    };
}
