namespace InferenceServer.Engine.Text.Templates;

/// <summary>Python methods templates call on strings and dicts: <c>s.strip()</c>, <c>d.items()</c>, ...</summary>
internal static class Methods
{
    public static bool TryCall(object? target, string name, List<object?> args, Dictionary<string, object?>? kwargs, int line, out object? result)
    {
        object? Arg(int i, string key, object? fallback) =>
            i < args.Count ? args[i] : kwargs is not null && kwargs.TryGetValue(key, out var v) ? v : fallback;

        if (target is string s)
        {
            result = name switch
            {
                "strip" => Filters.Strip(s, Arg(0, "chars", null), true, true),
                "lstrip" => Filters.Strip(s, Arg(0, "chars", null), true, false),
                "rstrip" => Filters.Strip(s, Arg(0, "chars", null), false, true),
                "split" => Split(s, Arg(0, "sep", null) as string, PyValue.TryInt(Arg(1, "maxsplit", -1L), out var max) ? max : -1, line),
                "startswith" => Affix(s, Arg(0, "prefix", null), true),
                "endswith" => Affix(s, Arg(0, "suffix", null), false),
                "upper" => s.ToUpperInvariant(),
                "lower" => s.ToLowerInvariant(),
                "title" => Filters.Title(s),
                "capitalize" => Filters.Capitalize(s),
                "replace" => Filters.Replace(s, PyValue.Str(Arg(0, "old", string.Empty)), PyValue.Str(Arg(1, "new", string.Empty)), Arg(2, "count", null)),
                "find" => (long)s.IndexOf(PyValue.Str(Arg(0, "sub", string.Empty)), StringComparison.Ordinal),
                "rfind" => (long)s.LastIndexOf(PyValue.Str(Arg(0, "sub", string.Empty)), StringComparison.Ordinal),
                "count" => (long)CountOf(s, PyValue.Str(Arg(0, "sub", string.Empty))),
                "join" => Filters.Join(Arg(0, "iterable", null), s, line),
                "isdigit" => s.Length > 0 && s.All(char.IsDigit),
                "format" => Format(s, args),
                _ => Undefined.Instance,
            };
            return result is not Undefined;
        }

        if (PyValue.AsMap(target) is { } map)
        {
            result = name switch
            {
                "items" => Filters.Items(map),
                "keys" => PyValue.Iterate(map, line),
                "values" => map.Select(p => p.Value).ToList(),
                "get" => Arg(0, "key", null) is string key && map.TryGetValue(key, out var v) ? v : Arg(1, "default", null),
                _ => Undefined.Instance,
            };
            return result is not Undefined;
        }

        result = null;
        return false;
    }

    private static int CountOf(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return s.Length + 1;
        }

        var n = 0;
        for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static bool Affix(string s, object? affix, bool prefix)
    {
        if (PyValue.AsList(affix) is { } options)
        {
            return options.Any(o => Affix(s, o, prefix));
        }

        var a = PyValue.Str(affix);
        return prefix ? s.StartsWith(a, StringComparison.Ordinal) : s.EndsWith(a, StringComparison.Ordinal);
    }

    private static List<object?> Split(string s, string? sep, long maxSplit, int line)
    {
        var parts = new List<object?>();
        if (sep is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                if (i >= s.Length)
                {
                    return parts;
                }

                if (maxSplit >= 0 && parts.Count == maxSplit)
                {
                    parts.Add(s[i..].TrimEnd());
                    return parts;
                }

                var start = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                parts.Add(s[start..i]);
            }
        }

        if (sep.Length == 0)
        {
            throw new TemplateException($"empty separator (line {line}).");
        }

        var from = 0;
        for (var at = s.IndexOf(sep, StringComparison.Ordinal); at >= 0 && (maxSplit < 0 || parts.Count < maxSplit);
             at = s.IndexOf(sep, from, StringComparison.Ordinal))
        {
            parts.Add(s[from..at]);
            from = at + sep.Length;
        }

        parts.Add(s[from..]);
        return parts;
    }

    private static string Format(string s, List<object?> args)
    {
        var next = 0;
        var result = new System.Text.StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '{' && i + 1 < s.Length && s[i + 1] == '}')
            {
                result.Append(next < args.Count ? PyValue.Str(args[next++]) : string.Empty);
                i++;
            }
            else
            {
                result.Append(s[i]);
            }
        }

        return result.ToString();
    }
}
