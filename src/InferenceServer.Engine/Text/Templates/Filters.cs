using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Jinja filters (<c>x | name(args)</c>), with Hugging Face's tojson.</summary>
internal static partial class Filters
{
    public static object? Apply(string name, object? v, List<object?> args, Dictionary<string, object?>? kwargs, int line)
    {
        object? Arg(int i, string key, object? fallback) =>
            i < args.Count ? args[i] : kwargs is not null && kwargs.TryGetValue(key, out var x) ? x : fallback;

        switch (name)
        {
            case "trim":
                return Strip(PyValue.Str(v), Arg(0, "chars", null), true, true);
            case "tojson":
                var indent = Arg(0, "indent", null);
                return PyJson.Dumps(v, PyValue.TryInt(indent, out var n) ? (int)n : null, PyValue.IsTrue(Arg(1, "sort_keys", false)), line);
            case "length" or "count":
                return v is string s ? s.Length : (long)PyValue.Iterate(v, line).Count;
            case "string":
                return PyValue.Str(v);
            case "upper":
                return PyValue.Str(v).ToUpperInvariant();
            case "lower":
                return PyValue.Str(v).ToLowerInvariant();
            case "title":
                return Title(PyValue.Str(v));
            case "capitalize":
                return Capitalize(PyValue.Str(v));
            case "replace":
                return Replace(PyValue.Str(v), PyValue.Str(Arg(0, "old", string.Empty)), PyValue.Str(Arg(1, "new", string.Empty)), Arg(2, "count", null));
            case "join":
                return Join(v, PyValue.Str(Arg(0, "d", string.Empty)), line, Arg(1, "attribute", null) as string);
            case "first":
                var all = PyValue.Iterate(v, line);
                return all.Count > 0 ? all[0] : Undefined.Instance;
            case "last":
                var items = PyValue.Iterate(v, line);
                return items.Count > 0 ? items[^1] : Undefined.Instance;
            case "default" or "d":
                return v is Undefined || (PyValue.IsTrue(Arg(1, "boolean", false)) && !PyValue.IsTrue(v)) ? Arg(0, "default_value", string.Empty) : v;
            case "items":
                return v is Undefined ? new List<object?>() : Items(PyValue.AsMap(v) ?? throw new TemplateException($"items filter needs a mapping (line {line})."));
            case "list":
                return PyValue.Iterate(v, line);
            case "int":
                return ToInt(v, Arg(0, "default", 0L));
            case "float":
                return ToFloat(v, Arg(0, "default", 0.0));
            case "abs":
                return PyValue.TryInt(v, out var i) ? (object)Math.Abs(i) : PyValue.TryNumber(v, out var d) ? Math.Abs(d) : throw new TemplateException($"abs needs a number (line {line}).");
            case "round":
                return Round(v, Arg(0, "precision", 0L), PyValue.Str(Arg(1, "method", "common")));
            case "safe" or "escape" or "e" or "forceescape":
                return name == "safe" ? v : Escape(PyValue.Str(v));
            case "indent":
                return Indent(PyValue.Str(v), Arg(0, "width", 4L), PyValue.IsTrue(Arg(1, "first", false)), PyValue.IsTrue(Arg(2, "blank", false)));
            case "wordcount":
                return (long)PyValue.Str(v).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            default:
                return ApplyCollection(name, v, args, kwargs, line);
        }
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal).Replace("\"", "&#34;", StringComparison.Ordinal);

    public static List<object?> Items(IReadOnlyDictionary<string, object?> map)
    {
        var list = new List<object?>(map.Count);
        foreach (var pair in map)
        {
            list.Add(new object?[] { pair.Key, pair.Value });
        }

        return list;
    }

    public static string Strip(string s, object? chars, bool left, bool right)
    {
        if (chars is string set)
        {
            var arr = set.ToCharArray();
            return left && right ? s.Trim(arr) : left ? s.TrimStart(arr) : s.TrimEnd(arr);
        }

        return left && right ? s.Trim() : left ? s.TrimStart() : s.TrimEnd();
    }

    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var start = true;
        foreach (var c in s)
        {
            sb.Append(start ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            start = char.IsWhiteSpace(c) || c is '-' or '(' or '{' or '[' or '<';
        }

        return sb.ToString();
    }

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    public static string Replace(string s, string old, string replacement, object? count)
    {
        if (!PyValue.TryInt(count, out var max) || max < 0)
        {
            return old.Length == 0 ? s : s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        var from = 0;
        for (var n = 0; n < max && old.Length > 0; n++)
        {
            var at = s.IndexOf(old, from, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            sb.Append(s, from, at - from).Append(replacement);
            from = at + old.Length;
        }

        return sb.Append(s, from, s.Length - from).ToString();
    }

    public static string Join(object? v, string separator, int line, string? attribute = null)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var item in PyValue.Iterate(v, line))
        {
            sb.Append(first ? string.Empty : separator);
            first = false;
            sb.Append(PyValue.Str(attribute is null ? item : Attribute(item, attribute)));
        }

        return sb.ToString();
    }

    private static object? ToInt(object? v, object? fallback)
    {
        if (v is bool b)
        {
            return b ? 1L : 0L;
        }

        if (PyValue.TryInt(v, out var i))
        {
            return i;
        }

        if (PyValue.TryNumber(v, out var d))
        {
            return (long)Math.Truncate(d);
        }

        var s = PyValue.Str(v).Trim();
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? (long)Math.Truncate(f) : fallback;
    }

    private static object? ToFloat(object? v, object? fallback) =>
        PyValue.TryNumber(v, out var d) ? d
        : double.TryParse(PyValue.Str(v).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : fallback;

    private static object? Round(object? v, object? precision, string method)
    {
        var d = PyValue.TryNumber(v, out var x) ? x : 0;
        var digits = PyValue.TryInt(precision, out var p) ? (int)p : 0;
        var scale = Math.Pow(10, digits);
        return method switch
        {
            "floor" => Math.Floor(d * scale) / scale,
            "ceil" => Math.Ceiling(d * scale) / scale,
            _ => Math.Round(d, Math.Clamp(digits, 0, 15), MidpointRounding.ToEven),
        };
    }

    private static string Indent(string s, object? width, bool first, bool blank)
    {
        var pad = width as string ?? new string(' ', PyValue.TryInt(width, out var w) ? (int)w : 4);
        var lines = s.Split('\n');
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }

            var indentThis = (i > 0 || first) && (blank || lines[i].Length > 0);
            sb.Append(indentThis ? pad : string.Empty).Append(lines[i]);
        }

        return sb.ToString();
    }
}
