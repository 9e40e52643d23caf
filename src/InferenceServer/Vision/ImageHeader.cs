using System.Buffers.Binary;

namespace InferenceServer.Vision;

/// <summary>
/// The width and height an image's header declares, read without a decoder, so a decompression bomb (a tiny file that
/// claims 100000×100000) is refused from its first bytes whether or not the rest of the file is there.
/// </summary>
internal static class ImageHeader
{
    public static bool TryReadSize(ReadOnlySpan<byte> bytes, string format, out int width, out int height)
    {
        (width, height) = (0, 0);
        switch (format)
        {
            case "image/png" when bytes.Length >= 24 && bytes[12..16].SequenceEqual("IHDR"u8):
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(bytes[16..]), BinaryPrimitives.ReadInt32BigEndian(bytes[20..]));
                return true;
            case "image/gif" when bytes.Length >= 10:
                (width, height) = (BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]));
                return true;
            case "image/webp":
                return TryWebP(bytes, out width, out height);
            case "image/jpeg":
                return TryJpeg(bytes, out width, out height);
            default:
                return false;
        }
    }

    private static bool TryWebP(ReadOnlySpan<byte> b, out int width, out int height)
    {
        (width, height) = (0, 0);
        if (b.Length >= 30 && b[12..16].SequenceEqual("VP8X"u8))
        {
            (width, height) = (1 + (b[24] | (b[25] << 8) | (b[26] << 16)), 1 + (b[27] | (b[28] << 8) | (b[29] << 16)));
            return true;
        }

        if (b.Length >= 30 && b[12..16].SequenceEqual("VP8 "u8))
        {
            (width, height) = (BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
            return true;
        }

        if (b.Length >= 25 && b[12..16].SequenceEqual("VP8L"u8) && b[20] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            (width, height) = (1 + (int)(bits & 0x3FFF), 1 + (int)((bits >> 14) & 0x3FFF));
            return true;
        }

        return false;
    }

    /// <summary>Walks the JPEG segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG and DAC).</summary>
    private static bool TryJpeg(ReadOnlySpan<byte> b, out int width, out int height)
    {
        (width, height) = (0, 0);
        var i = 2;
        while (i + 9 <= b.Length && b[i] == 0xFF)
        {
            var marker = b[i + 1];
            if (marker is 0xFF)
            {
                i++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                (height, width) = (BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]));
                return true;
            }

            if (length < 2)
            {
                return false;
            }

            i += 2 + length;
        }

        return false;
    }
}
