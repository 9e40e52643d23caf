namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>Where a sequence is in its <see cref="TokenGrammar"/>: a small value, copied freely during the vocabulary walk.</summary>
internal struct GrammarState
{
    public int Phase;

    /// <summary>Bytes matched in the current literal or name phase.</summary>
    public int Position;

    /// <summary>Names (by index) still consistent with the bytes matched so far.</summary>
    public UInt128 Names;

    /// <summary>Whitespace bytes in the current gap of a literal with <see cref="GrammarPhase.Gaps"/>.</summary>
    public int Spaces;

    public JsonState Json;

    /// <summary>The name the last name phase settled on (its index), which picks the following JSON phase's schema.</summary>
    public int Chosen;

    /// <summary>The schema the current JSON phase matches (index into the phase's schemas), or −1 for any JSON object.</summary>
    public int Program;

    public SchemaState Schema;
}
