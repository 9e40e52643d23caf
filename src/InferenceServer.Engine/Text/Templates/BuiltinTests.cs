namespace InferenceServer.Engine.Text.Templates;

/// <summary>Jinja tests: <c>x is defined</c>, <c>x is string</c>, ...</summary>
internal static class BuiltinTests
{
    public static bool Run(string name, object? value, List<object?> args, int line)
    {
        object? Arg() => args.Count > 0 ? args[0] : throw new TemplateException($"Test '{name}' needs an argument (line {line}).");
        return name switch
        {
            "defined" => value is not Undefined,
            "undefined" => value is Undefined,
            "none" => value is null,
            "string" => value is string,
            "mapping" => PyValue.AsMap(value) is not null,
            "iterable" => value is string || PyValue.AsList(value) is not null || PyValue.AsMap(value) is not null,
            "sequence" => value is string || PyValue.AsList(value) is not null || PyValue.AsMap(value) is not null,
            "number" => value is bool || PyValue.TryNumber(value, out _),
            "integer" => value is not bool && PyValue.TryInt(value, out _),
            "float" => value is double or float,
            "boolean" => value is bool,
            "true" => value is true,
            "false" => value is false,
            "callable" => value is Macro or GlobalFunction,
            "odd" => PyValue.TryInt(value, out var o) && o % 2 != 0,
            "even" => PyValue.TryInt(value, out var e) && e % 2 == 0,
            "divisibleby" => PyValue.TryInt(value, out var n) && PyValue.TryInt(Arg(), out var m) && m != 0 && n % m == 0,
            "lower" => value is string l && l == l.ToLowerInvariant(),
            "upper" => value is string u && u == u.ToUpperInvariant(),
            "equalto" or "eq" or "==" or "sameas" => PyOps.Equal(value, Arg()),
            "ne" or "!=" => !PyOps.Equal(value, Arg()),
            "lt" or "lessthan" or "<" => PyOps.Compare(value, Arg(), line) < 0,
            "le" or "<=" => PyOps.Compare(value, Arg(), line) <= 0,
            "gt" or "greaterthan" or ">" => PyOps.Compare(value, Arg(), line) > 0,
            "ge" or ">=" => PyOps.Compare(value, Arg(), line) >= 0,
            "in" => PyOps.Contains(Arg(), value, line),
            _ => throw new TemplateException($"No test named '{name}' (line {line})."),
        };
    }
}
