using System.Buffers.Binary;
using SkiaSharp;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Image bytes for uploads and data URLs: one sound PNG and the ways an attacker breaks one.</summary>
public static class HostileImages
{
    public static byte[] TinyPng { get; } = Infrastructure.TestImages.Solid(64, 64, SKColors.Red);

    public static byte[] TruncatedPng { get; } = TinyPng[..(TinyPng.Length / 2)];

    /// <summary>A valid signature and IHDR claiming 100000×100000 pixels (a decompression bomb's header), no data.</summary>
    public static byte[] HugeDimensionsPng { get; } = PngHeader(100_000, 100_000);

    /// <summary>A PNG claiming 0×0 pixels.</summary>
    public static byte[] ZeroDimensionsPng { get; } = PngHeader(0, 0);

    public static byte[] Garbage { get; } = [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 37 % 256))];

    public static byte[] Gif { get; } = "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"u8.ToArray();

    public static byte[] Svg { get; } = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"99999\" height=\"99999\"/>"u8.ToArray();

    public static IReadOnlyList<(string Name, byte[] Bytes)> All { get; } =
    [
        ("png", TinyPng), ("truncated png", TruncatedPng), ("100000x100000 png header", HugeDimensionsPng),
        ("0x0 png header", ZeroDimensionsPng), ("garbage", Garbage), ("gif", Gif), ("svg", Svg), ("empty", []),
        ("jpeg of another size", Infrastructure.TestImages.Solid(65, 33, SKColors.Blue, SKEncodedImageFormat.Jpeg)),
    ];

    private static byte[] PngHeader(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        var typed = "IHDR"u8.ToArray().Concat(ihdr).ToArray();
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, .. typed, .. crc];
    }

    /// <summary>PNG's CRC-32 (polynomial 0xEDB88320), so the header passes a decoder's check and reaches the size.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
