using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Python semantics for template values: truthiness, str(), repr(), equality, ordering.</summary>
internal static class PyValue
{
    public static bool TryInt(object? v, out long value)
    {
        switch (v)
        {
            case long l: value = l; return true;
            case int i: value = i; return true;
            case short s: value = s; return true;
            case byte b: value = b; return true;
            case uint u: value = u; return true;
            default: value = 0; return false;
        }
    }

    public static bool TryNumber(object? v, out double value)
    {
        if (TryInt(v, out var l))
        {
            value = l;
            return true;
        }

        switch (v)
        {
            case double d: value = d; return true;
            case float f: value = f; return true;
            case decimal m: value = (double)m; return true;
            default: value = 0; return false;
        }
    }

    public static IReadOnlyList<object?>? AsList(object? v) => v switch
    {
        string => null,
        IReadOnlyList<object?> list => list,
        IList<object?> list => new ReadOnlyCollection<object?>(list),
        _ => null,
    };

    public static IReadOnlyDictionary<string, object?>? AsMap(object? v) => v switch
    {
        IReadOnlyDictionary<string, object?> map => map,
        IDictionary<string, object?> map => new ReadOnlyDictionary<string, object?>(map),
        _ => null,
    };

    public static bool IsTrue(object? v)
    {
        switch (v)
        {
            case null or Undefined: return false;
            case bool b: return b;
            case string s: return s.Length > 0;
        }

        if (TryNumber(v, out var d))
        {
            return d != 0;
        }

        if (AsList(v) is { } list)
        {
            return list.Count > 0;
        }

        return AsMap(v) is not { } map || map.Count > 0;
    }

    public static List<object?> Iterate(object? v, int line)
    {
        switch (v)
        {
            case Undefined:
                return [];
            case string s:
                var chars = new List<object?>(s.Length);
                foreach (var c in s)
                {
                    chars.Add(c.ToString());
                }

                return chars;
        }

        if (AsList(v) is { } list)
        {
            return [.. list];
        }

        if (AsMap(v) is { } map)
        {
            var keys = new List<object?>(map.Count);
            foreach (var pair in map)
            {
                keys.Add(pair.Key);
            }

            return keys;
        }

        throw new TemplateException($"'{TypeName(v)}' object is not iterable (line {line}).");
    }

    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        Undefined => "Undefined",
        string => "str",
        bool => "bool",
        double or float or decimal => "float",
        object?[] => "tuple",
        JinjaNamespace => "Namespace",
        _ when TryInt(v, out _) => "int",
        _ when AsList(v) is not null => "list",
        _ when AsMap(v) is not null => "dict",
        _ => v.GetType().Name,
    };

    public static string Str(object? v) => v switch
    {
        string s => s,
        Undefined => string.Empty,
        _ => Repr(v),
    };

    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, v);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null: sb.Append("None"); return;
            case Undefined: return;
            case bool b: sb.Append(b ? "True" : "False"); return;
            case string s: AppendStringRepr(sb, s); return;
            case double d: sb.Append(FormatFloat(d)); return;
            case float f: sb.Append(FormatFloat(f)); return;
            case JinjaNamespace ns:
                sb.Append("<Namespace ");
                AppendRepr(sb, ns.Attributes);
                sb.Append('>');
                return;
        }

        if (TryInt(v, out var l))
        {
            sb.Append(l.ToString(CultureInfo.InvariantCulture));
        }
        else if (AsList(v) is { } list)
        {
            var tuple = v is object?[];
            sb.Append(tuple ? '(' : '[');
            for (var i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }

                AppendRepr(sb, list[i]);
            }

            sb.Append(tuple && list.Count == 1 ? ",)" : tuple ? ")" : "]");
        }
        else if (AsMap(v) is { } map)
        {
            sb.Append('{');
            var first = true;
            foreach (var pair in map)
            {
                sb.Append(first ? string.Empty : ", ");
                first = false;
                AppendStringRepr(sb, pair.Key);
                sb.Append(": ");
                AppendRepr(sb, pair.Value);
            }

            sb.Append('}');
        }
        else
        {
            sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture));
        }
    }

    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        sb.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append(quote);
    }

    /// <summary>Python's repr(float): shortest round-trip digits, exponent form below 1e-4 and from 1e16.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0.0" : "0.0";
        }

        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = r.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var point = (dot < 0 ? r.Length : dot) + exponent;
        var digits = r.Replace(".", string.Empty, StringComparison.Ordinal);
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..].TrimEnd('0');
        point -= lead;
        var sign = d < 0 ? "-" : string.Empty;
        var x = point - 1;
        if (x is >= -4 and < 16)
        {
            if (point <= 0)
            {
                return sign + "0." + new string('0', -point) + digits;
            }

            return point >= digits.Length
                ? sign + digits + new string('0', point - digits.Length) + ".0"
                : sign + digits[..point] + "." + digits[point..];
        }

        var mantissa = digits.Length > 1 ? digits[..1] + "." + digits[1..] : digits;
        return sign + mantissa + "e" + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
    }
}
