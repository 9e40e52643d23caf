using System.Globalization;
using System.Text;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>JSON text by hand, so generated bodies can hold what a serializer never writes (duplicate keys, raw bytes).</summary>
public static class JsonText
{
    /// <summary>A string literal: quotes, backslashes and controls escaped; everything else (lone surrogates too) raw.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                < ' ' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    public static string Member(string name, string value) => Quote(name) + ":" + value;

    public static string Object(IEnumerable<string> members) => "{" + string.Join(",", members) + "}";

    public static string Array(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";
}
