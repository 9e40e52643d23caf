namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// A Thompson NFA over bytes, the intermediate form of a <see cref="ByteDfa"/>: states with ε-edges and byte-range
/// edges. Built by <see cref="PatternParser"/>; bounded so that large repetitions fail cleanly.
/// </summary>
internal sealed class ByteNfa
{
    public const int MaxStates = 20_000;

    public List<List<int>> Epsilon { get; } = [];

    public List<List<(byte Lo, byte Hi, int To)>> Ranges { get; } = [];

    public int Count => Epsilon.Count;

    public int Add()
    {
        if (Epsilon.Count >= MaxStates)
        {
            throw new SchemaException("pattern", $"the pattern is too large to enforce (more than {MaxStates} automaton states)");
        }

        Epsilon.Add([]);
        Ranges.Add([]);
        return Epsilon.Count - 1;
    }

    public void Empty(int from, int to) => Epsilon[from].Add(to);

    public void Range(int from, byte lo, byte hi, int to) => Ranges[from].Add((lo, hi, to));

    /// <summary>Edges from <paramref name="from"/> to <paramref name="to"/> over one UTF-8 encoded code point.</summary>
    public void Bytes(int from, ReadOnlySpan<byte> bytes, int to)
    {
        var at = from;
        for (var i = 0; i < bytes.Length; i++)
        {
            var next = i == bytes.Length - 1 ? to : Add();
            Range(at, bytes[i], bytes[i], next);
            at = next;
        }
    }

    /// <summary>Edges over any well-formed UTF-8 character of two to four bytes (no surrogates, at most U+10FFFF).</summary>
    public void AnyMultibyte(int from, int to)
    {
        Sequence(from, to, (0xC2, 0xDF), (0x80, 0xBF));
        Sequence(from, to, (0xE0, 0xE0), (0xA0, 0xBF), (0x80, 0xBF));
        Sequence(from, to, (0xE1, 0xEC), (0x80, 0xBF), (0x80, 0xBF));
        Sequence(from, to, (0xED, 0xED), (0x80, 0x9F), (0x80, 0xBF));
        Sequence(from, to, (0xEE, 0xEF), (0x80, 0xBF), (0x80, 0xBF));
        Sequence(from, to, (0xF0, 0xF0), (0x90, 0xBF), (0x80, 0xBF), (0x80, 0xBF));
        Sequence(from, to, (0xF1, 0xF3), (0x80, 0xBF), (0x80, 0xBF), (0x80, 0xBF));
        Sequence(from, to, (0xF4, 0xF4), (0x80, 0x8F), (0x80, 0xBF), (0x80, 0xBF));
    }

    private void Sequence(int from, int to, params (int Lo, int Hi)[] steps)
    {
        var at = from;
        for (var i = 0; i < steps.Length; i++)
        {
            var next = i == steps.Length - 1 ? to : Add();
            Range(at, (byte)steps[i].Lo, (byte)steps[i].Hi, next);
            at = next;
        }
    }
}
