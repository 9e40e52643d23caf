using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// Checks a YAML document against a CRD's <c>openAPIV3Schema</c> the way the API server's structural-schema validation
/// does, for the keywords the vendored CRDs use: <c>type</c> (YAML 1.2 core-schema scalars: a quoted <c>"80"</c> is a
/// string), <c>properties</c> with unknown fields refused (strict field validation), <c>required</c> (a field with a
/// <c>default</c> counts as set), <c>additionalProperties</c>, <c>items</c>, <c>enum</c>, <c>pattern</c>, length, range,
/// item and property counts, <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>/<c>not</c>, <c>nullable</c>,
/// <c>x-kubernetes-int-or-string</c>, <c>x-kubernetes-preserve-unknown-fields</c> and <c>x-kubernetes-list-type</c>
/// (set / map keys unique). CEL rules (<c>x-kubernetes-validations</c>) are not evaluated.
/// </summary>
public static class OpenApiSchema
{
    public static List<string> Validate(YamlNode value, YamlMappingNode schema)
    {
        var errors = new List<string>();
        Check(value, schema, "", errors, structural: true);
        return errors;
    }

    private static void Check(YamlNode value, YamlMappingNode schema, string path, List<string> errors, bool structural)
    {
        var kind = Resolve(value);
        if (kind == "null")
        {
            if (Scalar(schema, "nullable") != "true" && Get(schema, "type") is not null)
            {
                errors.Add($"{path}: null is not allowed");
            }

            return;
        }

        if (Scalar(schema, "x-kubernetes-int-or-string") == "true")
        {
            if (kind is not ("integer" or "string"))
            {
                errors.Add($"{path}: must be an integer or a string, not {kind}");
            }
        }
        else if (Scalar(schema, "type") is { } type && !(type == kind || (type == "number" && kind == "integer")))
        {
            errors.Add($"{path}: must be {type}, not {kind}");
            return;
        }

        switch (value)
        {
            case YamlMappingNode map:
                CheckObject(map, schema, path, errors, structural);
                break;
            case YamlSequenceNode list:
                CheckArray(list, schema, path, errors, structural);
                break;
            case YamlScalarNode scalar:
                CheckScalar(scalar, kind, schema, path, errors);
                break;
        }

        foreach (var sub in Schemas(schema, "allOf"))
        {
            Check(value, sub, path, errors, structural: false);
        }

        var anyOf = Schemas(schema, "anyOf").ToList();
        if (anyOf.Count > 0 && !anyOf.Any(s => Validate(value, s, path)))
        {
            errors.Add($"{path}: matches none of anyOf");
        }

        var oneOf = Schemas(schema, "oneOf").ToList();
        if (oneOf.Count > 0 && oneOf.Count(s => Validate(value, s, path)) != 1)
        {
            errors.Add($"{path}: must match exactly one of oneOf");
        }

        if (Get(schema, "not") is YamlMappingNode not && Validate(value, not, path))
        {
            errors.Add($"{path}: matches the schema under not");
        }
    }

    private static bool Validate(YamlNode value, YamlMappingNode schema, string path)
    {
        var errors = new List<string>();
        Check(value, schema, path, errors, structural: false);
        return errors.Count == 0;
    }

    private static void CheckObject(YamlMappingNode map, YamlMappingNode schema, string path, List<string> errors, bool structural)
    {
        var properties = Get(schema, "properties") as YamlMappingNode;
        var additional = Get(schema, "additionalProperties");
        var preserve = Scalar(schema, "x-kubernetes-preserve-unknown-fields") == "true";
        foreach (var (keyNode, child) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            var childPath = $"{path}.{key}";
            if (properties is not null && properties.Children.TryGetValue(new YamlScalarNode(key), out var sub))
            {
                Check(child, (YamlMappingNode)sub, childPath, errors, structural);
            }
            else if (additional is YamlMappingNode additionalSchema)
            {
                Check(child, additionalSchema, childPath, errors, structural);
            }
            else if (structural && !preserve && (properties is not null || additional is YamlScalarNode { Value: "false" }))
            {
                errors.Add($"{childPath}: unknown field");
            }
        }

        if (Get(schema, "required") is YamlSequenceNode required)
        {
            foreach (var name in required.Cast<YamlScalarNode>().Select(n => n.Value!))
            {
                var defaulted = properties is not null && properties.Children.TryGetValue(new YamlScalarNode(name), out var p)
                    && Get((YamlMappingNode)p, "default") is not null;
                if (!map.Children.ContainsKey(new YamlScalarNode(name)) && !defaulted)
                {
                    errors.Add($"{path}.{name}: required");
                }
            }
        }

        Count(map.Children.Count, schema, "minProperties", "maxProperties", path, "properties", errors);
    }

    private static void CheckArray(YamlSequenceNode list, YamlMappingNode schema, string path, List<string> errors, bool structural)
    {
        if (Get(schema, "items") is YamlMappingNode items)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                Check(list.Children[i], items, $"{path}[{i}]", errors, structural);
            }
        }

        Count(list.Children.Count, schema, "minItems", "maxItems", path, "items", errors);
        switch (Scalar(schema, "x-kubernetes-list-type"))
        {
            case "set" when list.Children.Select(Canonical).Distinct().Count() != list.Children.Count:
                errors.Add($"{path}: a set with duplicate items");
                break;
            case "map" when Get(schema, "x-kubernetes-list-map-keys") is YamlSequenceNode keys:
                var names = keys.Cast<YamlScalarNode>().Select(k => k.Value!).ToList();
                var tuples = list.Children.OfType<YamlMappingNode>()
                    .Select(m => string.Join('\0', names.Select(n => m.Children.TryGetValue(new YamlScalarNode(n), out var v) ? Canonical(v) : "")));
                if (tuples.Distinct().Count() != list.Children.Count)
                {
                    errors.Add($"{path}: duplicate entries for keys {string.Join(", ", names)}");
                }

                break;
        }
    }

    private static void CheckScalar(YamlScalarNode scalar, string kind, YamlMappingNode schema, string path, List<string> errors)
    {
        var text = scalar.Value!;
        if (Get(schema, "enum") is YamlSequenceNode options && !options.Cast<YamlScalarNode>().Any(o => o.Value == text))
        {
            errors.Add($"{path}: {text} is not one of {string.Join(", ", options.Cast<YamlScalarNode>().Select(o => o.Value))}");
        }

        if (kind == "string")
        {
            if (Scalar(schema, "pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add($"{path}: {text} does not match {pattern}");
            }

            Count(text.Length, schema, "minLength", "maxLength", path, "characters", errors);
        }
        else if (kind is "integer" or "number")
        {
            var number = double.Parse(text, CultureInfo.InvariantCulture);
            if (Scalar(schema, "minimum") is { } min && number < double.Parse(min, CultureInfo.InvariantCulture))
            {
                errors.Add($"{path}: {text} is less than {min}");
            }

            if (Scalar(schema, "maximum") is { } max && number > double.Parse(max, CultureInfo.InvariantCulture))
            {
                errors.Add($"{path}: {text} is more than {max}");
            }
        }
    }

    private static void Count(int count, YamlMappingNode schema, string minKey, string maxKey, string path, string what, List<string> errors)
    {
        if (Scalar(schema, minKey) is { } min && count < int.Parse(min, CultureInfo.InvariantCulture))
        {
            errors.Add($"{path}: fewer than {min} {what}");
        }

        if (Scalar(schema, maxKey) is { } max && count > int.Parse(max, CultureInfo.InvariantCulture))
        {
            errors.Add($"{path}: more than {max} {what}");
        }
    }

    /// <summary>The JSON type a YAML 1.2 core-schema reader gives a node.</summary>
    private static string Resolve(YamlNode node) => node switch
    {
        YamlMappingNode => "object",
        YamlSequenceNode => "array",
        YamlScalarNode { Style: not ScalarStyle.Plain } => "string",
        YamlScalarNode { Value: null or "" or "~" or "null" or "Null" or "NULL" } => "null",
        YamlScalarNode { Value: "true" or "True" or "TRUE" or "false" or "False" or "FALSE" } => "boolean",
        YamlScalarNode s when Regex.IsMatch(s.Value!, "^[-+]?[0-9]+$") => "integer",
        YamlScalarNode s when Regex.IsMatch(s.Value!, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$") => "number",
        _ => "string",
    };

    private static string Canonical(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode l => "[" + string.Join(',', l.Children.Select(Canonical)) + "]",
        YamlMappingNode m => "{" + string.Join(',', m.Children.OrderBy(c => ((YamlScalarNode)c.Key).Value, StringComparer.Ordinal)
            .Select(c => ((YamlScalarNode)c.Key).Value + ":" + Canonical(c.Value))) + "}",
        _ => "",
    };

    private static YamlNode? Get(YamlMappingNode schema, string key) => schema.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlMappingNode schema, string key) => (Get(schema, key) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlMappingNode> Schemas(YamlMappingNode schema, string key) =>
        Get(schema, key) is YamlSequenceNode list ? list.Cast<YamlMappingNode>() : [];
}
