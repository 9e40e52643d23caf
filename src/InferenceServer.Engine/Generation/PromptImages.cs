namespace InferenceServer.Engine.Generation;

/// <summary>
/// The images of a prompt, encoded: the vision graph's features, one row of <see cref="Hidden"/> floats per image
/// token, in the order the prompt's negative (image) ids name them. A prefill chunk takes the rows of its own image ids.
/// </summary>
public sealed class PromptImages
{
    public PromptImages(float[] features, int hidden, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(features.Length % hidden, 0);
        Features = features;
        Hidden = hidden;
        Count = count;
    }

    public float[] Features { get; }

    public int Hidden { get; }

    /// <summary>Images in the prompt.</summary>
    public int Count { get; }

    /// <summary>Image tokens in the prompt (feature rows).</summary>
    public int Tokens => Features.Length / Hidden;

    /// <summary>The feature rows of the image ids in <paramref name="prompt"/>[<paramref name="start"/>..+<paramref name="count"/>].</summary>
    public ReadOnlyMemory<float> For(ReadOnlySpan<int> prompt, int start, int count)
    {
        var before = Negatives(prompt[..start]);
        var inside = Negatives(prompt.Slice(start, count));
        return Features.AsMemory(before * Hidden, inside * Hidden);
    }

    private static int Negatives(ReadOnlySpan<int> ids)
    {
        var n = 0;
        foreach (var id in ids)
        {
            n += id < 0 ? 1 : 0;
        }

        return n;
    }
}
