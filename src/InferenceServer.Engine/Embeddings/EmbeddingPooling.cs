using System.Numerics.Tensors;

namespace InferenceServer.Engine.Embeddings;

/// <summary>Pooling and normalisation of a sentence-transformers model; pools one sequence of token vectors.</summary>
public sealed record EmbeddingPooling(PoolingMode Mode, bool Normalize)
{
    /// <summary>
    /// Pools the first <paramref name="length"/> rows of <paramref name="hidden"/> (the rows the attention mask keeps;
    /// padding sits after them) into <paramref name="into"/>, then L2-normalises when the model says so.
    /// </summary>
    public void Pool(ReadOnlySpan<float> hidden, int length, int width, Span<float> into)
    {
        switch (Mode)
        {
            case PoolingMode.Cls:
                hidden[..width].CopyTo(into);
                break;
            case PoolingMode.Max:
                hidden[..width].CopyTo(into);
                for (var t = 1; t < length; t++)
                {
                    TensorPrimitives.Max(into, hidden.Slice(t * width, width), into);
                }

                break;
            default:
                into.Clear();
                for (var t = 0; t < length; t++)
                {
                    TensorPrimitives.Add(into, hidden.Slice(t * width, width), into);
                }

                TensorPrimitives.Divide(into, Math.Max(length, 1), into);
                break;
        }

        if (Normalize)
        {
            NormalizeInPlace(into);
        }
    }

    /// <summary>Scales to unit length (sentence-transformers' Normalize module: divides by max(norm, 1e-12)).</summary>
    public static void NormalizeInPlace(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, MathF.Max(norm, 1e-12f), vector);
    }
}
