using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace InferenceServer.Contracts.Json;

/// <summary>
/// Finds the first string (value or property name) of a parsed body that is not valid Unicode text: bytes that are
/// not UTF-8, or a <c>\uD800</c>-style escape without its other half. <see cref="JsonDocument"/> accepts both and
/// System.Text.Json only throws when the string is read (an <see cref="InvalidOperationException"/> anywhere
/// downstream, or "wrong type" during binding), so every body is checked once here, on the raw bytes, without
/// allocating a string.
/// </summary>
public static class JsonTextCheck
{
    /// <summary>The path of the first invalid string (<c>messages[0].content</c>), or null when all text is valid.</summary>
    public static string? FindInvalid(JsonElement root)
    {
        // The path is only built on the way out of a failure: a valid body costs no allocation.
        var segments = new List<string>();
        if (!Find(root, segments))
        {
            return null;
        }

        segments.Reverse();
        var path = string.Concat(segments).TrimStart('.');
        return path.Length == 0 ? "body" : path;
    }

    private static bool Find(JsonElement element, List<string> segments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return !IsValid(Unquote(JsonMarshal.GetRawUtf8Value(element)));
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, segments))
                    {
                        segments.Add(string.Create(CultureInfo.InvariantCulture, $"[{i}]"));
                        return true;
                    }

                    i++;
                }

                return false;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsValid(Unquote(JsonMarshal.GetRawUtf8PropertyName(property))))
                    {
                        return true;
                    }

                    if (Find(property.Value, segments))
                    {
                        segments.Add("." + property.Name);
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> raw) =>
        raw is [(byte)'"', .. var inner, (byte)'"'] ? inner : raw;

    /// <summary>Escaped JSON string content (the reader has already checked the escapes' syntax).</summary>
    internal static bool IsValid(ReadOnlySpan<byte> text)
    {
        while (true)
        {
            var slash = text.IndexOf((byte)'\\');
            if (slash < 0)
            {
                return Utf8.IsValid(text);
            }

            // A backslash is ASCII, so cutting there never splits a UTF-8 sequence.
            if (!Utf8.IsValid(text[..slash]))
            {
                return false;
            }

            if (text[slash + 1] != (byte)'u')
            {
                text = text[(slash + 2)..];
                continue;
            }

            var unit = Unit(text.Slice(slash + 2, 4));
            text = text[(slash + 6)..];
            if (char.IsLowSurrogate(unit))
            {
                return false;
            }

            if (char.IsHighSurrogate(unit))
            {
                if (text is not [(byte)'\\', (byte)'u', ..] || text.Length < 6 || !char.IsLowSurrogate(Unit(text.Slice(2, 4))))
                {
                    return false;
                }

                text = text[6..];
            }
        }
    }

    private static char Unit(ReadOnlySpan<byte> hex) =>
        (char)ushort.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
