using System.Text.Json;
using System.Text.RegularExpressions;
using InferenceServer.Engine.Generation.Constraints;
using InferenceServer.Errors;

namespace InferenceServer.Chat;

/// <summary>
/// Reads and checks <c>tools</c> (≤ 128 functions, names of a-z, A-Z, 0-9, _ and - up to 64 characters, unique) and
/// <c>tool_choice</c>; <c>strict</c> functions are enforced on every base URL, and on <c>/beta</c> their schema is also
/// checked by <see cref="StrictSchemaValidator"/>.
/// </summary>
internal static partial class ToolsReader
{
    public const int MaxTools = 128;

    /// <summary>The schema of a function without <c>parameters</c>: an empty object.</summary>
    private static readonly JsonDocument NoParameters = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");

    public static ToolSelection Read(JsonElement? tools, JsonElement? choice, bool beta)
    {
        if (tools is not { } array || array.ValueKind == JsonValueKind.Null)
        {
            if (choice is { ValueKind: not JsonValueKind.Null } c && !(c.ValueKind == JsonValueKind.String && c.GetString() is "none" or "auto"))
            {
                throw ApiException.InvalidFormat("tool_choice is only allowed when tools are specified.", "tool_choice");
            }

            return ToolSelection.None;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.InvalidParameter("tools", "'tools' must be an array of {\"type\":\"function\",\"function\":{...}} objects.");
        }

        var count = array.GetArrayLength();
        if (count > MaxTools)
        {
            throw ApiException.InvalidParameter("tools", $"Too many tools: {count}; at most {MaxTools} functions are allowed.");
        }

        var list = new List<JsonElement>(count);
        var names = new List<string>(count);
        var strictPrograms = new Dictionary<string, JsonSchemaProgram>(StringComparer.Ordinal);
        var i = 0;
        foreach (var tool in array.EnumerateArray())
        {
            var path = $"tools[{i}]";
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "function")
            {
                throw ApiException.InvalidParameter($"{path}.type", $"{path}.type must be 'function'.");
            }

            if (!tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.InvalidParameter($"{path}.function", $"Missing required parameter: '{path}.function'.");
            }

            var name = function.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
            if (name is null || !NamePattern().IsMatch(name))
            {
                throw ApiException.InvalidParameter($"{path}.function.name",
                    $"Invalid '{path}.function.name': '{name}'. Function names must be a-z, A-Z, 0-9, underscores or dashes, at most 64 characters.");
            }

            if (names.Contains(name))
            {
                throw ApiException.InvalidFormat($"Duplicate function name '{name}' in tools: tool names must be unique.", $"{path}.function.name");
            }

            if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                throw ApiException.InvalidParameter($"{path}.function.parameters", $"'{path}.function.parameters' must be a JSON Schema object.");
            }

            if (function.TryGetProperty("strict", out var strict) && strict.ValueKind == JsonValueKind.True)
            {
                strictPrograms[name] = StrictProgram(parameters.ValueKind == JsonValueKind.Object ? parameters : default, $"{path}.function.parameters", beta);
            }

            list.Add(tool);
            names.Add(name);
            i++;
        }

        var (kind, allowed) = ReadChoice(choice, names);
        return new ToolSelection(list, names, kind, allowed) { StrictPrograms = strictPrograms };
    }

    /// <summary>
    /// A strict function's arguments are enforced by constrained decoding on every base URL (the OpenAI Agents SDK and
    /// the zod helpers send <c>strict: true</c> to <c>/v1</c>). On <c>/beta</c> the schema must also keep to DeepSeek's
    /// strict subset; elsewhere any schema the grammar can enforce is taken (a pattern or bound it cannot is a 400).
    /// </summary>
    private static JsonSchemaProgram StrictProgram(JsonElement parameters, string path, bool beta)
    {
        if (beta)
        {
            return StrictSchemaValidator.Validate(parameters, path);
        }

        try
        {
            return JsonSchemaProgram.Compile(parameters.ValueKind == JsonValueKind.Object ? parameters : NoParameters.RootElement, strict: true);
        }
        catch (SchemaException e)
        {
            throw ApiException.InvalidFormat($"Invalid schema for strict function at '{path}': {e.Message} (keyword '{e.Keyword}').", path);
        }
    }

    private static (string Kind, IReadOnlyList<string> Allowed) ReadChoice(JsonElement? choice, List<string> names)
    {
        if (choice is not { } c || c.ValueKind == JsonValueKind.Null)
        {
            return ("auto", names);
        }

        if (c.ValueKind == JsonValueKind.String)
        {
            return c.GetString() switch
            {
                "none" => ("none", []),
                "auto" => ("auto", names),
                "required" => ("required", names),
                var other => throw ApiException.InvalidParameter("tool_choice",
                    $"Invalid tool_choice '{other}'; use 'none', 'auto', 'required' or {{\"type\":\"function\",\"function\":{{\"name\":...}}}}."),
            };
        }

        if (c.ValueKind == JsonValueKind.Object && c.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object
            && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
        {
            var name = n.GetString()!;
            if (!names.Contains(name))
            {
                throw ApiException.InvalidFormat($"tool_choice names function '{name}', which is not in tools.", "tool_choice");
            }

            return ("function", [name]);
        }

        throw ApiException.InvalidParameter("tool_choice", "tool_choice must be a string or {\"type\":\"function\",\"function\":{\"name\":...}}.");
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
