namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// A value matched against a <see cref="JsonSchemaProgram"/>: a bounded stack of frames plus the innermost frame's
/// details. Small and copied by value: the vocabulary walk copies it once per trie node.
/// </summary>
internal struct SchemaState
{
    public const int MaxDepth = 12;
    public SchemaFrames Frames;
    public int Depth;

    /// <summary>Whitespace bytes in the current gap between tokens (see <see cref="JsonWhitespace"/>).</summary>
    public int Spaces;
    public bool Done;

    /// <summary>Bytes matched in the innermost key or literal.</summary>
    public int Position;

    /// <summary>Literals of the innermost node still consistent with the bytes read.</summary>
    public ulong Literals;

    /// <summary>The innermost string's <see cref="ByteDfa"/> state, when it has a pattern or format.</summary>
    public int Dfa;

    /// <summary>The innermost number's numeral, when it has bounds.</summary>
    public NumberState Number;

    /// <summary>The innermost node's scalar (string, number, any value) recognizer.</summary>
    public JsonState Scalar;
}
