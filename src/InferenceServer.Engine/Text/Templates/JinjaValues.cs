using System.Text.Json;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Converts request data into the value shapes a <see cref="JinjaTemplate"/> renders.</summary>
public static class JinjaValues
{
    /// <summary>
    /// JSON to template values: objects become ordered dictionaries (key order kept, as Python's json.loads does),
    /// arrays become lists, integral numbers <see cref="long"/>, other numbers <see cref="double"/>.
    /// </summary>
    public static object? FromJson(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in e.EnumerateObject())
                {
                    map[property.Name] = FromJson(property.Value);
                }

                return map;
            case JsonValueKind.Array:
                var list = new List<object?>(e.GetArrayLength());
                foreach (var item in e.EnumerateArray())
                {
                    list.Add(FromJson(item));
                }

                return list;
            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && e.TryGetInt64(out var integer))
                {
                    return integer;
                }

                return e.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
