using System.Text.Json;
using InferenceServer.Engine.Generation.Constraints;
using InferenceServer.Errors;

namespace InferenceServer.Chat;

/// <summary>
/// The JSON Schema subset DeepSeek's strict mode accepts: object (every property required,
/// <c>additionalProperties: false</c>), string (<c>pattern</c>, <c>format</c>), number / integer (bounds,
/// <c>multipleOf</c>), boolean, array (<c>items</c>), <c>enum</c>, <c>anyOf</c>, <c>$ref</c> / <c>$defs</c>.
/// Annotation keywords (<c>$schema</c>, <c>$id</c>, <c>$comment</c>, <c>title</c>, <c>description</c>,
/// <c>default</c>, <c>examples</c>: what the SDKs' zod converters add) are accepted and ignored, as in
/// <c>response_format</c>. Anything else is a 400 naming the keyword and where it is.
/// </summary>
internal static class StrictSchemaValidator
{
    /// <summary>Keywords that describe a schema without constraining it: accepted anywhere, enforced nowhere.</summary>
    public static IReadOnlySet<string> Annotations { get; } = new HashSet<string>(StringComparer.Ordinal) { "$schema", "$id", "$comment", "title", "description", "default", "examples" };

    private static readonly HashSet<string> Common = new(StringComparer.Ordinal) { "type", "enum", "anyOf", "$ref", "$defs", "definitions", "const" };
    private static readonly HashSet<string> Formats = new(StringComparer.Ordinal) { "email", "hostname", "ipv4", "ipv6", "uuid" };
    private static readonly Dictionary<string, HashSet<string>> ByType = new(StringComparer.Ordinal)
    {
        ["object"] = new(StringComparer.Ordinal) { "properties", "required", "additionalProperties" },
        ["string"] = new(StringComparer.Ordinal) { "pattern", "format" },
        ["number"] = new(StringComparer.Ordinal) { "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf" },
        ["integer"] = new(StringComparer.Ordinal) { "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf" },
        ["boolean"] = new(StringComparer.Ordinal),
        ["array"] = new(StringComparer.Ordinal) { "items" },
        ["null"] = new(StringComparer.Ordinal),
    };

    /// <summary>Checks a strict function's parameters schema and returns it compiled, for the grammar that enforces it.</summary>
    public static JsonSchemaProgram Validate(JsonElement schema, string path)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var t) || t.GetString() != "object")
        {
            throw Fail(path, "type", "the parameters of a strict function must be a schema with \"type\": \"object\"");
        }

        Node(schema, path);
        try
        {
            // The supported keywords are also enforced: a pattern outside the regex subset, or bounds no number meets, is refused here.
            return JsonSchemaProgram.Compile(schema, strict: true);
        }
        catch (SchemaException e)
        {
            throw Fail(path, e.Keyword, e.Message);
        }
    }

    private static void Node(JsonElement node, string path)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, "schema", "every schema must be a JSON object");
        }

        var type = node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (t.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.String))
        {
            throw Fail(path, "type", "'type' must be a single string in strict mode");
        }

        if (type is not null && !ByType.ContainsKey(type))
        {
            throw Fail(path, "type", $"type '{type}' is not supported in strict mode");
        }

        foreach (var p in node.EnumerateObject())
        {
            if (!Common.Contains(p.Name) && !Annotations.Contains(p.Name) && (type is null || !ByType[type].Contains(p.Name)))
            {
                throw Fail(path, p.Name, $"keyword '{p.Name}' is not supported in strict mode{(type is null ? string.Empty : $" for type '{type}'")}");
            }
        }

        if (type == "object")
        {
            ObjectNode(node, path);
        }

        if (type == "string" && node.TryGetProperty("format", out var format) && !Formats.Contains(format.GetString() ?? string.Empty))
        {
            throw Fail(path, "format", $"format '{format}' is not supported; use one of: {string.Join(", ", Formats)}");
        }

        if (type == "array" && node.TryGetProperty("items", out var items))
        {
            Node(items, path + ".items");
        }

        foreach (var group in (string[])["$defs", "definitions"])
        {
            if (node.TryGetProperty(group, out var defs) && defs.ValueKind == JsonValueKind.Object)
            {
                foreach (var d in defs.EnumerateObject())
                {
                    Node(d.Value, $"{path}.{group}.{d.Name}");
                }
            }
        }

        if (node.TryGetProperty("anyOf", out var anyOf))
        {
            if (anyOf.ValueKind != JsonValueKind.Array)
            {
                throw Fail(path, "anyOf", "'anyOf' must be an array of schemas");
            }

            var i = 0;
            foreach (var option in anyOf.EnumerateArray())
            {
                Node(option, $"{path}.anyOf[{i++}]");
            }
        }
    }

    private static void ObjectNode(JsonElement node, string path)
    {
        if (!node.TryGetProperty("additionalProperties", out var extra) || extra.ValueKind != JsonValueKind.False)
        {
            throw Fail(path, "additionalProperties", "every object must set \"additionalProperties\": false in strict mode");
        }

        var required = new HashSet<string>(StringComparer.Ordinal);
        if (node.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in r.EnumerateArray())
            {
                required.Add(name.GetString() ?? string.Empty);
            }
        }

        if (node.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in properties.EnumerateObject())
            {
                if (!required.Contains(p.Name))
                {
                    throw Fail(path, "required", $"property '{p.Name}' must be listed in 'required': strict mode requires every property");
                }

                Node(p.Value, $"{path}.properties.{p.Name}");
            }
        }
    }

    private static ApiException Fail(string path, string keyword, string why) =>
        ApiException.InvalidFormat($"Invalid schema for strict function at '{path}': {why} (keyword '{keyword}').", path);
}
