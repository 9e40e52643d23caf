namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// A deterministic automaton over the bytes of a JSON string's content, compiled from a <c>pattern</c> or a
/// <c>format</c>. The matching state is a plain int (state 0 is the start), so schema states stay small values.
/// Only bytes a JSON string holds without escaping ever move it: no <c>"</c>, no <c>\</c>, no control characters —
/// a pattern character that would need an escape is simply never produced (a known limitation: such strings are
/// valid JSON but this decoder only writes strings without escapes). Dead states are pruned, so every live state
/// can still reach an accepting one, in <see cref="Rest"/> bytes at least.
/// </summary>
internal sealed class ByteDfa
{
    public const int MaxStates = 4096;
    private const int Infinite = int.MaxValue / 4;
    private readonly int[] _next;
    private readonly bool[] _accepting;
    private readonly int[] _rest;

    private ByteDfa(int[] next, bool[] accepting, int[] rest)
    {
        _next = next;
        _accepting = accepting;
        _rest = rest;
    }

    public int StateCount => _accepting.Length;

    /// <summary>Compiles an ECMA-262 pattern (see <see cref="PatternParser"/> for the subset).</summary>
    public static ByteDfa Compile(string pattern)
    {
        var nfa = new ByteNfa();
        var (start, accept) = PatternParser.Parse(pattern, nfa);
        return FromNfa(nfa, start, accept);
    }

    /// <summary>The strings both automata accept (a <c>pattern</c> together with a <c>format</c>).</summary>
    public static ByteDfa Intersect(ByteDfa x, ByteDfa y)
    {
        var ids = new Dictionary<(int, int), int> { [(0, 0)] = 0 };
        var pairs = new List<(int X, int Y)> { (0, 0) };
        var rows = new List<int[]>();
        for (var i = 0; i < pairs.Count; i++)
        {
            var row = new int[256];
            for (var b = 0; b < 256; b++)
            {
                var (nx, ny) = (x.Next(pairs[i].X, (byte)b), y.Next(pairs[i].Y, (byte)b));
                if (nx < 0 || ny < 0)
                {
                    row[b] = -1;
                    continue;
                }

                if (!ids.TryGetValue((nx, ny), out var id))
                {
                    id = pairs.Count < MaxStates ? pairs.Count : throw new SchemaException("pattern", $"pattern and format together are too complex to enforce (more than {MaxStates} automaton states)");
                    ids[(nx, ny)] = id;
                    pairs.Add((nx, ny));
                }

                row[b] = id;
            }

            rows.Add(row);
        }

        return Prune(rows, pairs.Select(p => x.Accepting(p.X) && y.Accepting(p.Y)).ToArray());
    }

    /// <summary>The state after <paramref name="b"/>, or −1 when the byte cannot be part of a match.</summary>
    public int Next(int state, byte b) => _next[(state << 8) | b];

    public bool Accepting(int state) => _accepting[state];

    /// <summary>The fewest bytes from <paramref name="state"/> to an accepting state.</summary>
    public int Rest(int state) => _rest[state];

    private static bool Writable(int b) => b >= 0x20 && b != '"' && b != '\\';

    private static ByteDfa FromNfa(ByteNfa nfa, int start, int accept)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var sets = new List<int[]>();
        var rows = new List<int[]>();
        int Id(int[] set)
        {
            var key = string.Join(',', set);
            if (ids.TryGetValue(key, out var id))
            {
                return id;
            }

            if (sets.Count >= MaxStates)
            {
                throw new SchemaException("pattern", $"the pattern is too complex to enforce (more than {MaxStates} automaton states)");
            }

            ids[key] = sets.Count;
            sets.Add(set);
            return sets.Count - 1;
        }

        Id(Closure(nfa, [start], accept));
        var targets = new List<int>();
        var points = new SortedSet<int>();
        for (var i = 0; i < sets.Count; i++)
        {
            var row = new int[256];
            Array.Fill(row, -1);
            points.Clear();
            points.Add(0);
            points.Add(256);
            foreach (var s in sets[i])
            {
                foreach (var (lo, hi, _) in nfa.Ranges[s])
                {
                    points.Add(lo);
                    points.Add(hi + 1);
                }
            }

            var bounds = points.ToArray();
            for (var k = 0; k + 1 < bounds.Length; k++)
            {
                targets.Clear();
                foreach (var s in sets[i])
                {
                    foreach (var (lo, hi, to) in nfa.Ranges[s])
                    {
                        if (lo <= bounds[k] && bounds[k] <= hi)
                        {
                            targets.Add(to);
                        }
                    }
                }

                if (targets.Count == 0)
                {
                    continue;
                }

                var target = Id(Closure(nfa, targets, accept));
                for (var b = bounds[k]; b < bounds[k + 1]; b++)
                {
                    row[b] = Writable(b) ? target : -1;
                }
            }

            rows.Add(row);
        }

        var accepting = sets.Select(set => Array.BinarySearch(set, accept) >= 0).ToArray();
        return Prune(rows, accepting);
    }

    /// <summary>Fewest bytes to acceptance (breadth-first over reversed edges); edges into dead states are cut.</summary>
    private static ByteDfa Prune(List<int[]> rows, bool[] accepting)
    {
        var count = rows.Count;
        var back = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            back[i] = [];
        }

        for (var i = 0; i < count; i++)
        {
            foreach (var t in rows[i].Where(t => t >= 0).Distinct())
            {
                back[t].Add(i);
            }
        }

        var rest = new int[count];
        Array.Fill(rest, Infinite);
        var queue = new Queue<int>();
        for (var i = 0; i < count; i++)
        {
            if (accepting[i])
            {
                rest[i] = 0;
                queue.Enqueue(i);
            }
        }

        while (queue.TryDequeue(out var s))
        {
            foreach (var p in back[s].Where(p => rest[p] == Infinite))
            {
                rest[p] = rest[s] + 1;
                queue.Enqueue(p);
            }
        }

        if (rest[0] >= Infinite)
        {
            throw new SchemaException("pattern", "the pattern matches no string that can be written without escape sequences");
        }

        var next = new int[count * 256];
        for (var i = 0; i < count; i++)
        {
            for (var b = 0; b < 256; b++)
            {
                var t = rows[i][b];
                next[(i << 8) | b] = t >= 0 && rest[t] < Infinite ? t : -1;
            }
        }

        return new ByteDfa(next, accepting, rest);
    }

    /// <summary>The ε-closure, keeping only states that matter (with byte edges, or accepting), so equal behaviour shares one key.</summary>
    private static int[] Closure(ByteNfa nfa, IEnumerable<int> seeds, int accept)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        foreach (var s in seeds)
        {
            if (seen.Add(s))
            {
                stack.Push(s);
            }
        }

        while (stack.TryPop(out var s))
        {
            foreach (var t in nfa.Epsilon[s])
            {
                if (seen.Add(t))
                {
                    stack.Push(t);
                }
            }
        }

        var set = seen.Where(s => s == accept || nfa.Ranges[s].Count > 0).ToArray();
        Array.Sort(set);
        return set;
    }
}
