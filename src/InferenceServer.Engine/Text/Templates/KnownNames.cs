namespace InferenceServer.Engine.Text.Templates;

/// <summary>
/// Filter and test names the renderer implements, so a template naming another fails at parse time (as Jinja does
/// at compile time) instead of on the first request that reaches it. Keep in sync with Filters and BuiltinTests.
/// </summary>
internal static class KnownNames
{
    public static readonly HashSet<string> Filters = new(StringComparer.Ordinal)
    {
        "trim", "tojson", "length", "count", "string", "upper", "lower", "title", "capitalize", "replace", "join",
        "first", "last", "default", "d", "items", "list", "int", "float", "abs", "round", "safe", "escape", "e",
        "forceescape", "indent", "wordcount", "map", "selectattr", "rejectattr", "select", "reject", "unique",
        "reverse", "sort", "dictsort", "sum", "min", "max",
    };

    public static readonly HashSet<string> Tests = new(StringComparer.Ordinal)
    {
        "defined", "undefined", "none", "string", "mapping", "iterable", "sequence", "number", "integer", "float",
        "boolean", "true", "false", "callable", "odd", "even", "divisibleby", "lower", "upper", "equalto", "eq", "==",
        "sameas", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in",
    };
}
