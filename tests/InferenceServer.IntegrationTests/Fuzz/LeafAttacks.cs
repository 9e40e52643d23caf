using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// A wrong value at every field of a sound body, at any depth: each string made invalid text (escaped and raw lone
/// surrogates, an invalid byte, NUL) or another type, each number, boolean, array and object given the types it is not.
/// </summary>
public static class LeafAttacks
{
    private const string Marker = "@@fuzz-marker@@";

    private static readonly string[] ForString = ["\"\\ud800\"", "\"a\\udfffb\"", "\"\uD800\"", $"\"{HostileUtf8.InvalidByte}\"", $"\"a{HostileUtf8.Nul}b\"", "\"\\u0000\"", "42", "null", "[]", "{}"];
    private static readonly string[] ForNumber = ["\"1\"", "1e400", "-1", "1.5", "123456789012345678901234567890", "null", "[]", "{}"];
    private static readonly string[] ForBool = ["\"true\"", "0", "null", "[]"];
    private static readonly string[] ForArray = ["{}", "\"x\"", "[null]", "[42]", "[\"\\ud800\"]", "null", "[[]]"];
    private static readonly string[] ForObject = ["[]", "\"x\"", "42", "null", "{\"\\ud800\":1}"];

    public static IEnumerable<(string Label, string Body)> EveryField(string sound)
    {
        var found = new List<List<object>>();
        Walk(JsonNode.Parse(sound)!, [], found);
        foreach (var path in found)
        {
            var copy = JsonNode.Parse(sound)!;
            var (parent, key) = Locate(copy, path);
            var current = key is string name ? parent[name] : parent[(int)key];
            var values = current?.GetValueKind() switch
            {
                JsonValueKind.String => ForString,
                JsonValueKind.Number => ForNumber,
                JsonValueKind.True or JsonValueKind.False => ForBool,
                JsonValueKind.Array => ForArray,
                JsonValueKind.Object => ForObject,
                _ => ForObject,
            };
            if (key is string n)
            {
                parent[n] = Marker;
            }
            else
            {
                parent[(int)key] = Marker;
            }

            var template = copy.ToJsonString();
            foreach (var value in values)
            {
                yield return ($"{Describe(path)} = {value}", template.Replace("\"" + Marker + "\"", value, StringComparison.Ordinal));
            }
        }
    }

    private static string Describe(List<object> path) =>
        string.Concat(path.Select(step => step is string name ? "." + name : $"[{step}]")).TrimStart('.');

    private static void Walk(JsonNode node, List<object> path, List<List<object>> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    List<object> next = [.. path, name];
                    found.Add(next);
                    if (child is not null)
                    {
                        Walk(child, next, found);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    List<object> next = [.. path, i];
                    found.Add(next);
                    if (array[i] is { } child)
                    {
                        Walk(child, next, found);
                    }
                }

                break;
        }
    }

    private static (JsonNode Parent, object Key) Locate(JsonNode root, List<object> path)
    {
        var node = root;
        foreach (var step in path[..^1])
        {
            node = step is string name ? node[name]! : node[(int)step]!;
        }

        return (node, path[^1]);
    }
}
