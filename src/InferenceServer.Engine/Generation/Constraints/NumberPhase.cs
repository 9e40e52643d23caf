namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>Where a <see cref="NumberState"/> is in its numeral.</summary>
internal enum NumberPhase : byte
{
    /// <summary>Nothing read.</summary>
    Start,

    /// <summary>After <c>-</c>.</summary>
    Sign,

    /// <summary>After a leading <c>0</c> (only <c>.</c> or the end may follow).</summary>
    Zero,

    /// <summary>In the integer digits after a nonzero first digit.</summary>
    Integer,

    /// <summary>After <c>.</c>, before the first fraction digit.</summary>
    Dot,

    /// <summary>In the fraction digits.</summary>
    Fraction,
}
