namespace InferenceServer.Engine.Generation.Constraints;

// Fewest bytes and first bytes of compiled nodes.
internal sealed partial class JsonSchemaCompiler
{
    /// <summary>Fewest bytes and first bytes of every node, to a fixed point (recursive schemas converge).</summary>
    private static void Measure(SchemaNode[] nodes)
    {
        for (var round = 0; round < 64; round++)
        {
            var changed = false;
            foreach (var n in nodes)
            {
                var min = n.Kind switch
                {
                    SchemaKind.Object => (int)Math.Min(Infinite, 2L + n.Keys.Select((k, i) => (long)k.Length + nodes[n.Values[i]].MinLength).Sum()),
                    SchemaKind.Array => 2,
                    SchemaKind.String => 2 + (n.Pattern?.Rest(0) ?? 0),
                    SchemaKind.Number or SchemaKind.Integer => n.Bounds?.MinLength ?? 1,
                    SchemaKind.Literals => n.Literals.Length == 0 ? Infinite : n.Literals.Min(l => l.Length),
                    SchemaKind.AnyOf => n.Options.Length == 0 ? 1 : n.Options.Min(o => nodes[o].MinLength),
                    _ => 1,
                };
                min = Math.Min(min, Infinite);
                changed |= min != n.MinLength;
                n.MinLength = min;
                changed |= SetFirst(n, nodes);
            }

            if (!changed)
            {
                break;
            }
        }

        foreach (var n in nodes.Where(n => n.Kind == SchemaKind.Object))
        {
            var count = n.Keys.Length;
            n.After = new int[count];
            var rest = 1;
            for (var k = count - 1; k >= 0; k--)
            {
                n.After[k] = rest;
                rest = Math.Min(Infinite, rest + n.Keys[k].Length + nodes[n.Values[k]].MinLength);
            }
        }
    }

    private static bool SetFirst(SchemaNode n, SchemaNode[] nodes)
    {
        var changed = false;
        void Mark(byte b)
        {
            changed |= !n.First[b];
            n.First[b] = true;
        }

        switch (n.Kind)
        {
            case SchemaKind.Object: Mark((byte)'{'); break;
            case SchemaKind.Array: Mark((byte)'['); break;
            case SchemaKind.String: Mark((byte)'"'); break;
            case SchemaKind.Number or SchemaKind.Integer:
                foreach (var b in "-0123456789"u8)
                {
                    Mark(b);
                }

                break;
            case SchemaKind.Literals:
                foreach (var l in n.Literals)
                {
                    Mark(l[0]);
                }

                break;
            case SchemaKind.AnyOf:
                foreach (var o in n.Options)
                {
                    for (var b = 0; b < 256; b++)
                    {
                        if (nodes[o].First[b])
                        {
                            Mark((byte)b);
                        }
                    }
                }

                break;
            default:
                foreach (var b in AnyFirst)
                {
                    Mark(b);
                }

                break;
        }

        return changed;
    }
}
