using System.Text.Json;

namespace InferenceServer.Chat;

/// <summary>A request's validated <c>tools</c> and <c>tool_choice</c>.</summary>
/// <param name="Choice"><c>none</c>, <c>auto</c>, <c>required</c> or <c>function</c> (a named function).</param>
/// <param name="Allowed">The names a forced call may use: all for <c>required</c>, one for a named function.</param>
internal sealed record ToolSelection(IReadOnlyList<JsonElement> Tools, IReadOnlyList<string> Names, string Choice, IReadOnlyList<string> Allowed)
{
    public static ToolSelection None { get; } = new([], [], "none", []);

    /// <summary>Each allowed function's <c>parameters</c> schema (null when it has none), in <see cref="Allowed"/> order.</summary>
    public IReadOnlyList<JsonElement?> AllowedParameters => ParametersOf(Allowed);

    /// <summary>Strict functions (on <c>/beta</c>) with <c>tool_choice: auto</c>: a call the model makes is kept to the schemas.</summary>
    public bool StrictAuto => Choice == "auto" && Tools.Any(t =>
        t.GetProperty("function").TryGetProperty("strict", out var strict) && strict.ValueKind == JsonValueKind.True);

    public IReadOnlyList<JsonElement?> ParametersOf(IReadOnlyList<string> names) => names.Select(name =>
    {
        var function = Tools[Names.ToList().IndexOf(name)].GetProperty("function");
        return function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p : (JsonElement?)null;
    }).ToList();

    public bool ParseCalls => Tools.Count > 0 && Choice != "none";

    public bool Forced => Tools.Count > 0 && Choice is "required" or "function";
}
