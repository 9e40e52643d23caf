namespace InferenceServer.Engine.Generation.Constraints;

internal enum GrammarPhaseKind
{
    /// <summary>Exactly one special token (a tool-call marker).</summary>
    Special,

    /// <summary>These bytes, in any tokenization.</summary>
    Literal,

    /// <summary>One of a set of names (allowed function names).</summary>
    Name,

    /// <summary>A JSON object.</summary>
    Json,

    /// <summary>Only the end-of-sequence token.</summary>
    End,
}
