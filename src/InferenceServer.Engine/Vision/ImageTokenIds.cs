using System.Buffers.Binary;
using System.Security.Cryptography;
using InferenceServer.Engine.Images;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// The ids an image's tokens carry in a prompt: negative (the embedding graph swaps every negative id for the next
/// image feature row, whatever its value), and derived from the SHA-256 of the picture's size and pixels, so the prefix
/// cache, which keys blocks by their exact ids, reuses a prompt's KV for the same image and never for another one.
/// Token k carries the hash's 32-bit word k mod 8 folded into [−2³¹ + 1, −1]: eight tokens in a row hold all 256 bits.
/// </summary>
internal static class ImageTokenIds
{
    /// <summary>Replaces each run of GenAI's placeholder id −N (image N) in <paramref name="ids"/> with image N's content ids.</summary>
    public static void Key(int[] ids, IReadOnlyList<RgbImage> images)
    {
        var words = new int[images.Count][];
        for (var i = 0; i < images.Count; i++)
        {
            words[i] = Words(images[i]);
        }

        var k = 0;
        var previous = 0;
        for (var p = 0; p < ids.Length; p++)
        {
            var id = ids[p];
            if (id >= 0)
            {
                previous = id;
                continue;
            }

            k = id == previous ? k + 1 : 0;
            previous = id;
            ids[p] = words[-id - 1][k % 8];
        }
    }

    private static int[] Words(RgbImage image)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(size, image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(size[4..], image.Height);
        sha.AppendData(size);
        sha.AppendData(image.Pixels);
        Span<byte> hash = stackalloc byte[32];
        sha.GetHashAndReset(hash);
        var words = new int[8];
        for (var w = 0; w < 8; w++)
        {
            words[w] = -1 - (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash[(w * 4)..]) % int.MaxValue);
        }

        return words;
    }
}
