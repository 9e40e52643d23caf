using System.Text.Json;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// A compiled JSON Schema that matches output byte by byte (objects write their declared properties in order; between
/// tokens the whitespace JSON allows, bounded as <see cref="JsonWhitespace"/> says). The matching state is a <see cref="SchemaState"/> value, so the vocabulary walk copies it freely.
/// </summary>
public sealed partial class JsonSchemaProgram
{
    private readonly SchemaNode[] _nodes;
    private readonly int _root;

    private JsonSchemaProgram(SchemaNode[] nodes, int root)
    {
        _nodes = nodes;
        _root = root;
    }

    internal int MinLength => _nodes[_root].MinLength;

    /// <summary>Compiles <paramref name="schema"/>.</summary>
    /// <param name="strict">
    /// Whether a <c>pattern</c>, <c>format</c> or bound that cannot be enforced is an error (a <see cref="SchemaException"/>)
    /// rather than ignored.
    /// </param>
    public static JsonSchemaProgram Compile(JsonElement schema, bool strict = true)
    {
        var (nodes, root) = JsonSchemaCompiler.Compile(schema, strict);
        return new JsonSchemaProgram(nodes, root);
    }

    internal SchemaState Start()
    {
        var s = default(SchemaState);
        s.Depth = 1;
        Begin(ref s, _root);
        return s;
    }

    internal bool Step(ref SchemaState s, byte b)
    {
        var space = JsonWhitespace.Is(b);
        if (!space)
        {
            s.Spaces = 0;
        }

        while (!s.Done)
        {
            ref var f = ref s.Frames[s.Depth - 1];
            var node = _nodes[f.Node];
            if (space && InGap(s, f, node))
            {
                return ++s.Spaces <= JsonWhitespace.MaxRun;
            }

            switch (node.Kind)
            {
                case SchemaKind.AnyOf:
                    var option = -1;
                    foreach (var o in node.Options)
                    {
                        if (_nodes[o].First[b])
                        {
                            option = o;
                            break;
                        }
                    }

                    if (option < 0)
                    {
                        return false;
                    }

                    Begin(ref s, option);
                    continue;
                case SchemaKind.Object:
                    return ObjectByte(ref s, ref f, node, b);
                case SchemaKind.Array:
                    if (f.Step == -1)
                    {
                        f.Step = 1;
                        return b == (byte)'[';
                    }

                    if (f.Step == 2)
                    {
                        if (b == (byte)',')
                        {
                            f.Step = 3;
                            return true;
                        }

                        return b == (byte)']' && Pop(ref s);
                    }

                    if (f.Step == 1 && b == (byte)']')
                    {
                        return Pop(ref s);
                    }

                    f.Step = 2;
                    if (!Push(ref s, node.Items))
                    {
                        return false;
                    }

                    continue;
                case SchemaKind.Literals:
                    if (f.Step == -1)
                    {
                        f.Step = 0;
                        s.Literals = node.Literals.Length >= 64 ? ulong.MaxValue : (1UL << node.Literals.Length) - 1;
                    }

                    var (ok, pop) = LiteralByte(ref s, node, b);
                    if (ok)
                    {
                        return !pop || Pop(ref s);
                    }

                    if (!pop)
                    {
                        return false;
                    }

                    Pop(ref s);
                    continue;
                case SchemaKind.String when node.Pattern is { } pattern:
                    return PatternByte(ref s, ref f, pattern, b);
                case SchemaKind.Number or SchemaKind.Integer when node.Bounds is { } bounds:
                    if (f.Step == -1)
                    {
                        f.Step = 0;
                        s.Number = bounds.Start();
                    }

                    var numeral = s.Number;
                    if (bounds.Step(ref numeral, b))
                    {
                        s.Number = numeral;
                        return true;
                    }

                    if (!bounds.CanEnd(s.Number))
                    {
                        return false;
                    }

                    Pop(ref s);
                    continue;
                default:
                    if (f.Step == -1)
                    {
                        if (!node.First[b])
                        {
                            return false;
                        }

                        f.Step = 0;
                        s.Scalar = node.Kind == SchemaKind.Integer ? JsonState.Integer() : JsonState.AnyValue();
                    }

                    var copy = s.Scalar;
                    if (copy.Step(b))
                    {
                        s.Scalar = copy;
                        return !copy.IsDone || Pop(ref s);
                    }

                    if (!s.Scalar.NumberComplete)
                    {
                        return false;
                    }

                    Pop(ref s);
                    continue;
            }
        }

        return false;
    }

    /// <summary>An upper bound on the bytes that complete the value from <paramref name="s"/>.</summary>
    internal int MinBytesToFinish(in SchemaState s)
    {
        if (s.Done)
        {
            return 0;
        }

        var total = 0;
        for (var i = s.Depth - 1; i >= 0; i--)
        {
            var f = s.Frames[i];
            var node = _nodes[f.Node];
            total = Math.Min(int.MaxValue / 4, total + (i == s.Depth - 1 ? TopRest(s, f, node) : node.Kind == SchemaKind.Object ? node.After[(f.Step - 1) / 2] : 1));
        }

        return total;
    }

    private int TopRest(in SchemaState s, in SchemaFrame f, SchemaNode node)
    {
        if (f.Step == -1)
        {
            return node.MinLength;
        }

        switch (node.Kind)
        {
            case SchemaKind.Object:
                var k = f.Step / 2;
                return k >= node.Keys.Length ? 1 : node.Keys[k].Length - s.Position + _nodes[node.Values[k]].MinLength + node.After[k];
            case SchemaKind.Array:
                return f.Step == 3 ? _nodes[node.Items].MinLength + 1 : 1;
            case SchemaKind.Literals:
                var best = int.MaxValue / 4;
                for (var i = 0; i < node.Literals.Length && i < 64; i++)
                {
                    if ((s.Literals & (1UL << i)) != 0)
                    {
                        best = Math.Min(best, node.Literals[i].Length - s.Position);
                    }
                }

                return best;
            case SchemaKind.String when node.Pattern is { } pattern:
                return pattern.Rest(s.Dfa) + 1;
            case SchemaKind.Number or SchemaKind.Integer when node.Bounds is not null:
                return s.Number.Rest;
            default:
                return s.Scalar.MinBytesToFinish;
        }
    }

    private bool Push(ref SchemaState s, int node)
    {
        if (s.Depth >= SchemaState.MaxDepth)
        {
            return false;
        }

        s.Depth++;
        Begin(ref s, node);
        return true;
    }

    private bool Pop(ref SchemaState s)
    {
        s.Depth--;
        if (s.Depth == 0)
        {
            s.Done = true;
            return true;
        }

        ref var parent = ref s.Frames[s.Depth - 1];
        var node = _nodes[parent.Node];
        if (node.Kind == SchemaKind.Object)
        {
            var next = ((parent.Step - 1) / 2) + 1;
            parent.Step = 2 * next;
            s.Position = 0;
        }

        return true;
    }

    /// <summary>Makes the innermost frame a fresh <paramref name="node"/>.</summary>
    private static void Begin(ref SchemaState s, int node)
    {
        s.Frames[s.Depth - 1] = new SchemaFrame { Node = node, Step = -1 };
        s.Position = 0;
        s.Literals = 0;
        s.Scalar = JsonState.AnyValue();
    }
}
