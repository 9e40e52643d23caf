using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Python's <c>json.dumps(x, ensure_ascii=False, indent=indent)</c>, as Hugging Face's tojson uses it.</summary>
internal static class PyJson
{
    public static string Dumps(object? value, int? indent, bool sortKeys, int line)
    {
        var sb = new StringBuilder();
        Write(sb, value, indent, sortKeys, 0, line);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? v, int? indent, bool sortKeys, int depth, int line)
    {
        switch (v)
        {
            case null: sb.Append("null"); return;
            case bool b: sb.Append(b ? "true" : "false"); return;
            case string s: WriteString(sb, s); return;
            case double or float:
                var d = Convert.ToDouble(v, CultureInfo.InvariantCulture);
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyValue.FormatFloat(d));
                return;
            case Undefined or JinjaNamespace:
                throw new TemplateException($"Object of type {PyValue.TypeName(v)} is not JSON serializable (line {line}).");
        }

        if (PyValue.TryInt(v, out var l))
        {
            sb.Append(l.ToString(CultureInfo.InvariantCulture));
        }
        else if (PyValue.AsList(v) is { } list)
        {
            if (list.Count == 0)
            {
                sb.Append("[]");
                return;
            }

            sb.Append('[');
            for (var i = 0; i < list.Count; i++)
            {
                Separator(sb, i, indent, depth + 1);
                Write(sb, list[i], indent, sortKeys, depth + 1, line);
            }

            Close(sb, ']', indent, depth);
        }
        else if (PyValue.AsMap(v) is { } map)
        {
            if (map.Count == 0)
            {
                sb.Append("{}");
                return;
            }

            IEnumerable<KeyValuePair<string, object?>> pairs = map;
            if (sortKeys)
            {
                var sorted = new List<KeyValuePair<string, object?>>(map);
                sorted.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
                pairs = sorted;
            }

            sb.Append('{');
            var i = 0;
            foreach (var pair in pairs)
            {
                Separator(sb, i++, indent, depth + 1);
                WriteString(sb, pair.Key);
                sb.Append(": ");
                Write(sb, pair.Value, indent, sortKeys, depth + 1, line);
            }

            Close(sb, '}', indent, depth);
        }
        else
        {
            throw new TemplateException($"Object of type {PyValue.TypeName(v)} is not JSON serializable (line {line}).");
        }
    }

    private static void Separator(StringBuilder sb, int index, int? indent, int depth)
    {
        if (indent is null)
        {
            sb.Append(index > 0 ? ", " : string.Empty);
            return;
        }

        sb.Append(index > 0 ? ",\n" : "\n").Append(' ', indent.Value * depth);
    }

    private static void Close(StringBuilder sb, char close, int? indent, int depth)
    {
        if (indent is not null)
        {
            sb.Append('\n').Append(' ', indent.Value * depth);
        }

        sb.Append(close);
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
