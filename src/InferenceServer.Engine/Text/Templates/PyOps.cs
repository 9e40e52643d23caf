using System.Text;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Python operators on template values: ==, ordering, arithmetic, <c>in</c>.</summary>
internal static class PyOps
{
    public static bool Equal(object? a, object? b)
    {
        if (a is Undefined || b is Undefined)
        {
            return a is Undefined && b is Undefined;
        }

        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is bool ba && b is bool bb)
        {
            return ba == bb;
        }

        if (PyValue.TryInt(Numeric(a), out var la) && PyValue.TryInt(Numeric(b), out var lb))
        {
            return la == lb;
        }

        if (PyValue.TryNumber(Numeric(a), out var da) && PyValue.TryNumber(Numeric(b), out var db))
        {
            return da == db;
        }

        if (a is string sa)
        {
            return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
        }

        if (PyValue.AsList(a) is { } xa && PyValue.AsList(b) is { } xb && (a is object?[]) == (b is object?[]))
        {
            if (xa.Count != xb.Count)
            {
                return false;
            }

            for (var i = 0; i < xa.Count; i++)
            {
                if (!Equal(xa[i], xb[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (PyValue.AsMap(a) is { } ma && PyValue.AsMap(b) is { } mb)
        {
            if (ma.Count != mb.Count)
            {
                return false;
            }

            foreach (var pair in ma)
            {
                if (!mb.TryGetValue(pair.Key, out var other) || !Equal(pair.Value, other))
                {
                    return false;
                }
            }

            return true;
        }

        return ReferenceEquals(a, b) || a.Equals(b);
    }

    private static object? Numeric(object? v) => v is bool b ? (b ? 1L : 0L) : v;

    public static int Compare(object? a, object? b, int line)
    {
        if (PyValue.TryInt(Numeric(a), out var la) && PyValue.TryInt(Numeric(b), out var lb))
        {
            return la.CompareTo(lb);
        }

        if (PyValue.TryNumber(Numeric(a), out var da) && PyValue.TryNumber(Numeric(b), out var db))
        {
            return da.CompareTo(db);
        }

        if (a is string sa && b is string sb)
        {
            return Math.Sign(string.CompareOrdinal(sa, sb));
        }

        if (PyValue.AsList(a) is { } xa && PyValue.AsList(b) is { } xb)
        {
            for (var i = 0; i < Math.Min(xa.Count, xb.Count); i++)
            {
                if (!Equal(xa[i], xb[i]))
                {
                    return Compare(xa[i], xb[i], line);
                }
            }

            return xa.Count.CompareTo(xb.Count);
        }

        throw new TemplateException(
            $"Cannot compare '{PyValue.TypeName(a)}' and '{PyValue.TypeName(b)}' (line {line}).");
    }

    public static bool Contains(object? container, object? item, int line)
    {
        switch (container)
        {
            case string s:
                return item is string sub
                    ? s.Contains(sub, StringComparison.Ordinal)
                    : throw new TemplateException($"'in <string>' requires string as left operand (line {line}).");
            case Undefined:
                return false;
        }

        if (PyValue.AsMap(container) is { } map)
        {
            return item is string key && map.ContainsKey(key);
        }

        if (PyValue.AsList(container) is { } list)
        {
            foreach (var x in list)
            {
                if (Equal(x, item))
                {
                    return true;
                }
            }

            return false;
        }

        throw new TemplateException($"argument of type '{PyValue.TypeName(container)}' is not iterable (line {line}).");
    }

    public static object? Arithmetic(string op, object? a, object? b, int line)
    {
        if (a is Undefined || b is Undefined)
        {
            throw new TemplateException($"Undefined value used with '{op}' (line {line}).");
        }

        if (PyValue.TryInt(Numeric(a), out var la) && PyValue.TryInt(Numeric(b), out var lb))
        {
            switch (op)
            {
                case "+": return la + lb;
                case "-": return la - lb;
                case "*": return la * lb;
                case "/": return lb == 0 ? throw DivisionByZero(line) : (double)la / lb;
                case "//": return lb == 0 ? throw DivisionByZero(line) : FloorDiv(la, lb);
                case "%": return lb == 0 ? throw DivisionByZero(line) : la - (FloorDiv(la, lb) * lb);
                case "**" when lb >= 0: return (long)Math.Pow(la, lb);
            }
        }

        if (PyValue.TryNumber(Numeric(a), out var da) && PyValue.TryNumber(Numeric(b), out var db))
        {
            switch (op)
            {
                case "+": return da + db;
                case "-": return da - db;
                case "*": return da * db;
                case "/": return db == 0 ? throw DivisionByZero(line) : da / db;
                case "//": return db == 0 ? throw DivisionByZero(line) : Math.Floor(da / db);
                case "%": return db == 0 ? throw DivisionByZero(line) : da - (Math.Floor(da / db) * db);
                case "**": return Math.Pow(da, db);
            }
        }

        if (op == "+" && a is string sa && b is string sb)
        {
            return string.Concat(sa, sb);
        }

        if (op == "+" && PyValue.AsList(a) is { } xa && PyValue.AsList(b) is { } xb)
        {
            var joined = new List<object?>(xa.Count + xb.Count);
            joined.AddRange(xa);
            joined.AddRange(xb);
            return a is object?[]? joined.ToArray() : joined;
        }

        if (op == "*" && (a is string || b is string) && PyValue.TryInt(a is string ? b : a, out var times))
        {
            var s = (string)(a is string ? a : b)!;
            var sb2 = new StringBuilder();
            for (var i = 0; i < times; i++)
            {
                sb2.Append(s);
            }

            return sb2.ToString();
        }

        throw new TemplateException(
            $"Unsupported operand types for {op}: '{PyValue.TypeName(a)}' and '{PyValue.TypeName(b)}' (line {line}).");
    }

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }

    private static TemplateException DivisionByZero(int line) => new($"division by zero (line {line}).");
}
