namespace InferenceServer.Engine.Generation.Constraints;

// Byte steps of objects, literals and patterned strings.
public sealed partial class JsonSchemaProgram
{
    /// <summary>
    /// Whether the innermost frame is at a gap where JSON allows whitespace: before a nested value (after <c>:</c>,
    /// <c>[</c> or <c>,</c>; the top value itself starts at once), after <c>{</c>, around an object's <c>,</c>, before
    /// its <c>:</c> and <c>}</c>, and anywhere between an array's tokens.
    /// </summary>
    private static bool InGap(in SchemaState s, in SchemaFrame f, SchemaNode node)
    {
        if (f.Step == -1)
        {
            return s.Depth > 1;
        }

        switch (node.Kind)
        {
            case SchemaKind.Object:
                var k = f.Step / 2;
                return f.Step % 2 == 0 && (k >= node.Keys.Length || s.Position == 0 || (k > 0 && s.Position == 1) || s.Position == node.Keys[k].Length - 1);
            case SchemaKind.Array:
                return true;
            default:
                return false;
        }
    }

    private bool ObjectByte(ref SchemaState s, ref SchemaFrame f, SchemaNode node, byte b)
    {
        var count = node.Keys.Length;
        if (f.Step == -1)
        {
            f.Step = 0;
            s.Position = 0;
            return b == (byte)'{';
        }

        var k = f.Step / 2;
        if (k >= count)
        {
            return b == (byte)'}' && Pop(ref s);
        }

        var key = node.Keys[k];
        if (key[s.Position] != b)
        {
            return false;
        }

        if (++s.Position == key.Length)
        {
            f.Step = (2 * k) + 1;
            return Push(ref s, node.Values[k]);
        }

        return true;
    }

    private static (bool Ok, bool Pop) LiteralByte(ref SchemaState f, SchemaNode node, byte b)
    {
        ulong still = 0;
        var complete = false;
        var longer = false;
        for (var i = 0; i < node.Literals.Length && i < 64; i++)
        {
            if ((f.Literals & (1UL << i)) == 0)
            {
                continue;
            }

            var literal = node.Literals[i];
            if (literal.Length == f.Position)
            {
                complete = true;
            }
            else if (literal[f.Position] == b)
            {
                still |= 1UL << i;
                longer |= literal.Length > f.Position + 1;
            }
        }

        if (still == 0)
        {
            return (false, complete);
        }

        f.Literals = still;
        f.Position++;
        return (true, !longer);
    }

    /// <summary>A string held to its automaton: the closing quote only in an accepting state.</summary>
    private bool PatternByte(ref SchemaState s, ref SchemaFrame f, ByteDfa pattern, byte b)
    {
        if (f.Step == -1)
        {
            f.Step = 0;
            s.Dfa = 0;
            return b == (byte)'"';
        }

        if (b == (byte)'"')
        {
            return pattern.Accepting(s.Dfa) && Pop(ref s);
        }

        var next = pattern.Next(s.Dfa, b);
        if (next < 0)
        {
            return false;
        }

        s.Dfa = next;
        return true;
    }
}
