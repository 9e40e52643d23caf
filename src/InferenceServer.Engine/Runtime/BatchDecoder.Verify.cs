using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Speculative verification: one row's next input and its draft in one run after the row's past, keeping the logits
/// of every position (a prefill chunk keeps only the last). It is the layout of a prefill chunk after a past
/// (batch 1, total_sequence_length = past + count), the one GroupQueryAttention accepts for several new tokens after
/// a past; a rejected tail is dropped by <see cref="SetRowLength"/> (its stale KV is overwritten by the next run and
/// never read before: the mask bounds every read).
/// </summary>
internal sealed partial class BatchDecoder
{
    private float[] _verifyLogits = [];

    /// <summary>
    /// Runs <paramref name="tokens"/> after row <paramref name="row"/>'s first <paramref name="past"/> tokens and keeps
    /// each position's logits for <see cref="UseVerifiedLogits"/>. The row's mask then covers all of them.
    /// </summary>
    public void Verify(int row, int past, ReadOnlySpan<int> tokens, RunOptions run) =>
        RunAfterPast(row, past, tokens, run, everyPosition: true);

    private void KeepVerifiedLogits(OrtValue output, int count, RunOptions run)
    {
        if (_verifyLogits.Length < count * _vocab)
        {
            _verifyLogits = new float[count * _vocab];
        }

        CopyLogits(output, 0, count, _verifyLogits, run);
    }

    /// <summary>Puts the logits of position <paramref name="index"/> of the last <see cref="Verify"/> run into the row's <see cref="Logits"/>.</summary>
    public void UseVerifiedLogits(int row, int index) => _verifyLogits.AsSpan(index * _vocab, _vocab).CopyTo(Logits(row));
}
