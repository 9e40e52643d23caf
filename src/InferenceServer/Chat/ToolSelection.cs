using System.Text.Json;
using InferenceServer.Engine.Generation.Constraints;

namespace InferenceServer.Chat;

/// <summary>A request's validated <c>tools</c> and <c>tool_choice</c>.</summary>
/// <param name="Choice"><c>none</c>, <c>auto</c>, <c>required</c> or <c>function</c> (a named function).</param>
/// <param name="Allowed">The names a forced call may use: all for <c>required</c>, one for a named function.</param>
internal sealed record ToolSelection(IReadOnlyList<JsonElement> Tools, IReadOnlyList<string> Names, string Choice, IReadOnlyList<string> Allowed)
{
    public static ToolSelection None { get; } = new([], [], "none", []);

    /// <summary>The strict functions' parameters schemas, compiled when the request was read.</summary>
    public IReadOnlyDictionary<string, JsonSchemaProgram> StrictPrograms { get; init; } = new Dictionary<string, JsonSchemaProgram>();

    /// <summary>Strict functions (on <c>/beta</c>) with <c>tool_choice: auto</c>: a call the model makes is kept to the schemas.</summary>
    public bool StrictAuto => Choice == "auto" && StrictPrograms.Count > 0;

    /// <summary>
    /// Per name, the schema its arguments are kept to (null: any JSON object): a strict function's as compiled when the
    /// request was read, another's compiled leniently (what cannot be enforced is ignored).
    /// </summary>
    public IReadOnlyList<JsonSchemaProgram?> ProgramsOf(IReadOnlyList<string> names) => names.Select(name =>
    {
        if (StrictPrograms.TryGetValue(name, out var program))
        {
            return program;
        }

        var function = Tools[IndexOf(name)].GetProperty("function");
        return function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? JsonSchemaProgram.Compile(p, strict: false) : null;
    }).ToList();

    public bool ParseCalls => Tools.Count > 0 && Choice != "none";

    public bool Forced => Tools.Count > 0 && Choice is "required" or "function";

    private int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"'{name}' is not one of the request's tools.", nameof(name));
    }
}
