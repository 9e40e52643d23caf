namespace InferenceServer.Engine.Text.Templates;

/// <summary>A built-in global callable: range, namespace, dict, raise_exception, strftime_now.</summary>
internal sealed class GlobalFunction(string name)
{
    public static readonly IReadOnlyDictionary<string, GlobalFunction> All = new Dictionary<string, GlobalFunction>(StringComparer.Ordinal)
    {
        ["range"] = new("range"),
        ["namespace"] = new("namespace"),
        ["dict"] = new("dict"),
        ["raise_exception"] = new("raise_exception"),
        ["strftime_now"] = new("strftime_now"),
    };

    public string Name { get; } = name;
}
