namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>One step of a <see cref="TokenGrammar"/>: the phases are matched one after another.</summary>
internal sealed record GrammarPhase(GrammarPhaseKind Kind, int SpecialId = -1, byte[]? Literal = null, byte[][]? Names = null)
{
    public static GrammarPhase Json { get; } = new(GrammarPhaseKind.Json);

    public static GrammarPhase End { get; } = new(GrammarPhaseKind.End);
}
