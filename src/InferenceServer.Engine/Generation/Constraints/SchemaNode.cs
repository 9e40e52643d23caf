namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// One compiled schema node. Objects write every declared property in declared order: <see cref="Keys"/> holds each
/// key's literal bytes (<c>"name":</c>, with the comma before all but the first), which whitespace may surround.
/// </summary>
internal sealed class SchemaNode
{
    public SchemaKind Kind { get; set; }

    public byte[][] Keys { get; set; } = [];

    public int[] Values { get; set; } = [];

    public int Items { get; set; } = -1;

    public byte[][] Literals { get; set; } = [];

    public int[] Options { get; set; } = [];

    /// <summary>For strings: the automaton of <c>pattern</c> and/or <c>format</c>, or null for any string.</summary>
    public ByteDfa? Pattern { get; set; }

    /// <summary>For numbers and integers: their bounds and <c>multipleOf</c>, or null when none are set.</summary>
    public NumberBounds? Bounds { get; set; }

    /// <summary>Fewest bytes of a value of this node.</summary>
    public int MinLength { get; set; } = int.MaxValue / 4;

    /// <summary>Bytes a value of this node can start with.</summary>
    public bool[] First { get; } = new bool[256];

    /// <summary>For objects: the fewest bytes after value k is complete (the remaining keys and values, and the closing brace).</summary>
    public int[] After { get; set; } = [];
}
