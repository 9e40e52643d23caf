using System.Buffers.Binary;
using InferenceServer.Engine.Embeddings;

namespace InferenceServer.Embeddings;

/// <summary>Shapes a vector for the wire: shortened to the requested dimensions (then re-normalised), as numbers or base64.</summary>
internal static class EmbeddingEncoding
{
    public static float[] Shorten(float[] vector, int dimensions, bool normalize)
    {
        if (dimensions >= vector.Length)
        {
            return vector;
        }

        var shorter = vector[..dimensions];
        if (normalize)
        {
            EmbeddingPooling.NormalizeInPlace(shorter);
        }

        return shorter;
    }

    /// <summary>Little-endian float32, the layout OpenAI's SDKs decode.</summary>
    public static string Base64(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }
}
