using System.Text;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// Encodes generated text to bytes, keeping what <see cref="Encoding.UTF8"/> would repair: a lone surrogate goes out as
/// its three-byte (invalid) form, and four private-use characters stand for other invalid sequences.
/// </summary>
public static class HostileUtf8
{
    /// <summary>Stands for the byte 0xFF, never valid in UTF-8.</summary>
    public const char InvalidByte = '\uF8FF';

    /// <summary>Stands for C0 80, an overlong NUL.</summary>
    public const char OverlongNul = '\uF8FE';

    /// <summary>Stands for E2 82, a sequence cut short.</summary>
    public const char Truncated = '\uF8FD';

    /// <summary>Stands for a raw NUL byte.</summary>
    public const char Nul = '\uF8FC';

    public static byte[] Encode(string text)
    {
        var output = new List<byte>(text.Length + 16);
        Span<byte> scratch = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case InvalidByte:
                    output.Add(0xFF);
                    continue;
                case OverlongNul:
                    output.AddRange([0xC0, 0x80]);
                    continue;
                case Truncated:
                    output.AddRange([0xE2, 0x82]);
                    continue;
                case Nul:
                    output.Add(0);
                    continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var n = Encoding.UTF8.GetBytes(text.AsSpan(i, 2), scratch);
                output.AddRange(scratch[..n]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                output.AddRange([(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
            }
            else
            {
                var n = Encoding.UTF8.GetBytes([c], scratch);
                output.AddRange(scratch[..n]);
            }
        }

        return [.. output];
    }
}
