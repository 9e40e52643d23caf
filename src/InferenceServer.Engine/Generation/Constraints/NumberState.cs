namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// The exact numeral read so far by a bounded number (see <see cref="NumberBounds"/>): its magnitude as a decimal,
/// sign and digit counts, plus the fewest bytes that still complete it within the bounds (cached: the vocabulary walk
/// asks for it at every trie node). A small value, copied freely.
/// </summary>
internal struct NumberState
{
    public decimal Magnitude;
    public NumberPhase Phase;
    public bool Negative;
    public byte IntegerDigits;
    public byte FractionDigits;

    /// <summary>Fewest bytes to a numeral that satisfies the bounds; <see cref="NumberBounds.Infinite"/> when none.</summary>
    public int Rest;
}
