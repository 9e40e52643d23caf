namespace InferenceServer.Engine.Text.Templates;

/// <summary>Filters over sequences: map, select/reject(attr), sort, unique, ...</summary>
internal static partial class Filters
{
    private static object? ApplyCollection(string name, object? v, List<object?> args, Dictionary<string, object?>? kwargs, int line)
    {
        object? Kw(string key, object? fallback) => kwargs is not null && kwargs.TryGetValue(key, out var x) ? x : fallback;

        switch (name)
        {
            case "map":
                var mapped = new List<object?>();
                var attribute = Kw("attribute", null) as string;
                foreach (var item in PyValue.Iterate(v, line))
                {
                    if (attribute is not null)
                    {
                        var value = Attribute(item, attribute);
                        mapped.Add(value is Undefined && kwargs!.TryGetValue("default", out var d) ? d : value);
                    }
                    else if (args.Count > 0)
                    {
                        mapped.Add(Apply(PyValue.Str(args[0]), item, args.GetRange(1, args.Count - 1), null, line));
                    }
                }

                return mapped;
            case "selectattr" or "rejectattr" or "select" or "reject":
                var byAttribute = name.EndsWith("attr", StringComparison.Ordinal);
                var keep = name.StartsWith("select", StringComparison.Ordinal);
                var skip = byAttribute ? 1 : 0;
                var result = new List<object?>();
                foreach (var item in PyValue.Iterate(v, line))
                {
                    var subject = byAttribute ? Attribute(item, PyValue.Str(args[0])) : item;
                    var pass = args.Count > skip
                        ? BuiltinTests.Run(PyValue.Str(args[skip]), subject, args.GetRange(skip + 1, args.Count - skip - 1), line)
                        : PyValue.IsTrue(subject);
                    if (pass == keep)
                    {
                        result.Add(item);
                    }
                }

                return result;
            case "unique":
                var unique = new List<object?>();
                foreach (var item in PyValue.Iterate(v, line))
                {
                    if (!unique.Exists(u => PyOps.Equal(SortKey(u, null, false), SortKey(item, null, false))))
                    {
                        unique.Add(item);
                    }
                }

                return unique;
            case "reverse":
                if (v is string s)
                {
                    var chars = s.ToCharArray();
                    Array.Reverse(chars);
                    return new string(chars);
                }

                var reversed = PyValue.Iterate(v, line);
                reversed.Reverse();
                return reversed;
            case "sort":
                var attr = (args.Count > 2 ? args[2] : Kw("attribute", null)) as string;
                var caseSensitive = PyValue.IsTrue(args.Count > 1 ? args[1] : Kw("case_sensitive", false));
                var sorted = PyValue.Iterate(v, line);
                sorted = [.. sorted.OrderBy(x => SortKey(x, attr, caseSensitive), Comparer(line))];
                if (PyValue.IsTrue(args.Count > 0 ? args[0] : Kw("reverse", false)))
                {
                    sorted.Reverse();
                }

                return sorted;
            case "dictsort":
                var pairs = Items(PyValue.AsMap(v) ?? throw new TemplateException($"dictsort needs a mapping (line {line})."));
                var byValue = PyValue.Str(args.Count > 1 ? args[1] : Kw("by", "key")) == "value";
                var sensitive = PyValue.IsTrue(args.Count > 0 ? args[0] : Kw("case_sensitive", false));
                pairs = [.. pairs.OrderBy(p => SortKey(((object?[])p!)[byValue ? 1 : 0], null, sensitive), Comparer(line))];
                if (PyValue.IsTrue(args.Count > 2 ? args[2] : Kw("reverse", false)))
                {
                    pairs.Reverse();
                }

                return pairs;
            case "sum":
                object? total = args.Count > 1 ? args[1] : Kw("start", 0L);
                var sumAttribute = (args.Count > 0 ? args[0] : Kw("attribute", null)) as string;
                foreach (var item in PyValue.Iterate(v, line))
                {
                    total = PyOps.Arithmetic("+", total, sumAttribute is null ? item : Attribute(item, sumAttribute), line);
                }

                return total;
            case "min" or "max":
                var values = PyValue.Iterate(v, line);
                if (values.Count == 0)
                {
                    return Undefined.Instance;
                }

                var best = values[0];
                foreach (var item in values)
                {
                    var c = PyOps.Compare(SortKey(item, null, false), SortKey(best, null, false), line);
                    best = (name == "min" ? c < 0 : c > 0) ? item : best;
                }

                return best;
            default:
                throw new TemplateException($"No filter named '{name}' (line {line}).");
        }
    }

    private static Comparer<object?> Comparer(int line) => Comparer<object?>.Create((a, b) => PyOps.Compare(a, b, line));

    private static object? SortKey(object? item, string? attribute, bool caseSensitive)
    {
        var key = attribute is null ? item : Attribute(item, attribute);
        return !caseSensitive && key is string s ? s.ToLowerInvariant() : key;
    }

    /// <summary>Jinja's attribute lookup for filters: dotted paths, integer parts index lists.</summary>
    private static object? Attribute(object? item, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (PyValue.AsMap(item) is { } map)
            {
                item = map.TryGetValue(part, out var value) ? value : Undefined.Instance;
            }
            else if (PyValue.AsList(item) is { } list && int.TryParse(part, out var index) && index >= 0 && index < list.Count)
            {
                item = list[index];
            }
            else
            {
                item = item is JinjaNamespace ns && ns.Attributes.TryGetValue(part, out var attr) ? attr : Undefined.Instance;
            }
        }

        return item;
    }
}
