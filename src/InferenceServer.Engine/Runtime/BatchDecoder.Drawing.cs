using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Decode steps whose rows draw (<see cref="RowKind"/>): a drawing row's image token reaches the decoder as
/// <see cref="ImageVocabulary.Embed"/>'s row in place of a text embedding (the token input's feature path: the row's id
/// becomes a placeholder), and its logits are the image head's over its hidden state, written over the start of the
/// row's logits. Text rows of the same step are untouched, so chat and drawing share one run.
/// </summary>
internal sealed partial class BatchDecoder
{
    /// <summary>The image vocabulary of a model that draws (set once at load, before any drawing), or null.</summary>
    public ImageVocabulary? Images { get; private set; }

    /// <summary>Gives the decoder its image vocabulary (owned from here on); the graph must end at hidden states and embed its tokens.</summary>
    public void UseImages(ImageVocabulary images)
    {
        if (_graph.Head is null || _input.BindsOnce || images.Codebook > _vocab)
        {
            throw new InvalidOperationException("An image vocabulary needs a decoder that ends at hidden states, embeds its token ids, and has logits at least as wide as the codebook.");
        }

        Images = images;
    }

    /// <summary>True when some row of the step wants text logits (a step of drawing rows alone skips the text head).</summary>
    private static bool HasTextRow(int batch, ReadOnlySpan<RowKind> kinds)
    {
        if (kinds.IsEmpty)
        {
            return true;
        }

        for (var r = 0; r < batch; r++)
        {
            if (kinds[r] == RowKind.Text)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Marks the image rows' ids as placeholders (-1) in <paramref name="ids"/> and returns their embedding rows, in
    /// row order; empty when no row reads an image token.
    /// </summary>
    private ReadOnlyMemory<float> ImageRowEmbeddings(int batch, ReadOnlySpan<int> tokens, ReadOnlySpan<RowKind> kinds, Span<long> ids, RunOptions run)
    {
        var count = 0;
        for (var r = 0; r < kinds.Length && r < batch; r++)
        {
            count += kinds[r] == RowKind.Image ? 1 : 0;
        }

        if (count == 0)
        {
            return default;
        }

        var images = new long[count];
        var i = 0;
        for (var r = 0; r < batch; r++)
        {
            if (kinds[r] == RowKind.Image)
            {
                images[i++] = tokens[r];
                ids[r] = -1;
            }
        }

        return Images!.Embed(images, run);
    }

    /// <summary>Overwrites the logits of the rows that draw with the image head's over their hidden states (<paramref name="hidden"/>: batch × 1 × width).</summary>
    private void ImageRowLogits(OrtValue hidden, int batch, ReadOnlySpan<RowKind> kinds, RunOptions run)
    {
        var count = 0;
        for (var r = 0; r < kinds.Length && r < batch; r++)
        {
            count += kinds[r] != RowKind.Text ? 1 : 0;
        }

        if (count == 0)
        {
            return;
        }

        var width = HiddenWidth;
        var states = FloatTensors.Read(hidden);
        var rows = new float[count * width];
        var i = 0;
        for (var r = 0; r < batch; r++)
        {
            if (kinds[r] != RowKind.Text)
            {
                states.AsSpan(r * width, width).CopyTo(rows.AsSpan(i++ * width));
            }
        }

        var codebook = Images!.Codebook;
        var logits = Images.Logits(rows, count, width, run);
        i = 0;
        for (var r = 0; r < batch; r++)
        {
            if (kinds[r] != RowKind.Text)
            {
                logits.AsSpan(i++ * codebook, codebook).CopyTo(Logits(r));
            }
        }
    }
}
