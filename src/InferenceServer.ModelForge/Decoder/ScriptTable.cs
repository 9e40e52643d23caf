namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// What a scripted decoder generates. The mode comes from the most recent trigger or reset token in the context:
/// mode m = index + 1 when it is <c>TriggerTokenIds[m - 1]</c>, mode 0 when it is one of <see cref="ResetTokenIds"/>
/// or there is none (a chat template's user-turn marker as a reset token makes only the last user message choose).
/// Greedy decoding then follows <see cref="Transitions"/> from the last token; a (mode, token) pair without a
/// transition yields the first EOS id.
/// </summary>
public sealed record ScriptTable(IReadOnlyList<int> TriggerTokenIds, IReadOnlyList<ScriptTransition> Transitions, IReadOnlyList<int>? ResetTokens = null)
{
    /// <summary>Tokens that end an earlier trigger's hold: after one, mode 0 until the next trigger.</summary>
    public IReadOnlyList<int> ResetTokenIds => ResetTokens ?? [];

    /// <summary>Number of modes including mode 0.</summary>
    public int ModeCount => TriggerTokenIds.Count + 1;

    /// <summary>The next token for (mode, current), or null when the script ends there (EOS).</summary>
    public int? Next(int mode, int currentToken)
    {
        foreach (ScriptTransition transition in Transitions)
        {
            if (transition.Mode == mode && transition.CurrentToken == currentToken)
            {
                return transition.NextToken;
            }
        }

        return null;
    }

    /// <summary>Throws when the table is ambiguous or names tokens or modes that do not exist.</summary>
    public void Validate(int vocabSize)
    {
        if (TriggerTokenIds.Distinct().Count() != TriggerTokenIds.Count)
        {
            throw new ArgumentException("Script table: trigger tokens must be distinct.");
        }

        if (TriggerTokenIds.Any(t => t < 0 || t >= vocabSize) || ResetTokenIds.Any(t => t < 0 || t >= vocabSize))
        {
            throw new ArgumentException("Script table: a trigger or reset token is outside the vocabulary.");
        }

        if (ResetTokenIds.Intersect(TriggerTokenIds).Any())
        {
            throw new ArgumentException("Script table: a token cannot both trigger a mode and reset it.");
        }

        var seen = new HashSet<(int, int)>();
        foreach (ScriptTransition t in Transitions)
        {
            if (t.Mode < 0 || t.Mode >= ModeCount)
            {
                throw new ArgumentException($"Script table: mode {t.Mode} does not exist (modes 0..{ModeCount - 1}).");
            }

            if (t.CurrentToken < 0 || t.CurrentToken >= vocabSize || t.NextToken < 0 || t.NextToken >= vocabSize)
            {
                throw new ArgumentException($"Script table: transition {t} names a token outside the vocabulary.");
            }

            if (!seen.Add((t.Mode, t.CurrentToken)))
            {
                throw new ArgumentException($"Script table: more than one transition for mode {t.Mode}, token {t.CurrentToken}.");
            }
        }
    }
}
