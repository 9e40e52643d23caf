namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>One step of a <see cref="TokenGrammar"/>: the phases are matched one after another.</summary>
/// <param name="Schemas">For a JSON phase: the schema its value must match, one per name of the preceding name phase
/// (or a single one); a null entry allows any JSON object.</param>
/// <param name="Gaps">For a literal that is part of a JSON text: per position 0…length, whether whitespace (bounded as
/// <see cref="JsonWhitespace"/> says) may come before the byte there (at the length: after the last byte).</param>
internal sealed record GrammarPhase(GrammarPhaseKind Kind, int SpecialId = -1, byte[]? Literal = null, byte[][]? Names = null, JsonSchemaProgram?[]? Schemas = null, bool[]? Gaps = null)
{
    public static GrammarPhase Json { get; } = new(GrammarPhaseKind.Json);

    public static GrammarPhase End { get; } = new(GrammarPhaseKind.End);
}
