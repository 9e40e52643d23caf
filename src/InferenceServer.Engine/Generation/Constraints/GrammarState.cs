namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>Where a sequence is in its <see cref="TokenGrammar"/>: a small value, copied freely during the vocabulary walk.</summary>
internal struct GrammarState
{
    public int Phase;

    /// <summary>Bytes matched in the current literal or name phase.</summary>
    public int Position;

    /// <summary>Names (by index) still consistent with the bytes matched so far.</summary>
    public UInt128 Names;

    public JsonState Json;
}
