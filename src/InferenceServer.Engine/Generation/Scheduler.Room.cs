namespace InferenceServer.Engine.Generation;

/// <summary>
/// Admission by KV need. A sequence reserves its prompt + max_tokens (<see cref="Sequence.Need"/>), not a whole
/// context, and the rows are laid out with one stride, the longest admitted need rounded up to
/// <see cref="StrideStep"/> positions (GroupQueryAttention reads every row of a batch through one
/// <c>[rows, kv_heads, stride, head_size]</c> buffer). A waiting sequence is admitted only while rows × stride fits the
/// budget (<see cref="Runtime.KvBuffers.Fits"/>); the stride grows for a longer need and shrinks back to the longest
/// need still admitted when that makes room. One that does not fit yet waits in the queue.
/// </summary>
internal sealed partial class Scheduler
{
    /// <summary>Stride granularity in positions: fewer relayouts, at most this much reserved and unused per row.</summary>
    internal const int StrideStep = 64;

    private int[] _rowLengths = [];

    /// <summary>The longest need among the admitted sequences (0 when none).</summary>
    private int AdmittedNeed()
    {
        var need = 0;
        foreach (var s in _decoding)
        {
            need = Math.Max(need, s.Need);
        }

        foreach (var s in _prefilling)
        {
            need = Math.Max(need, s.Need);
        }

        return need;
    }

    /// <summary>The stride admitting <paramref name="s"/> would lay the rows out with, or -1 when it does not fit now.</summary>
    private int StrideFor(Sequence s, int admittedNeed)
    {
        var rows = _decoding.Count + _prefilling.Count + RowsOf(s);
        if (rows > _decoder.MaxRows)
        {
            return -1;
        }

        var need = Round(s.Need);
        if (_decoder.ConcatKv)
        {
            // A concatenating export attends over, and copies, every row's whole stride at each step: keep it as
            // tight as the admitted needs allow (rows leaving let the next admission shrink it).
            var needed = Math.Max(need, Round(admittedNeed));
            return _decoder.Kv.Fits(rows, needed) ? needed : -1;
        }

        var grown = Math.Max(_decoder.Stride, need);
        if (_decoder.Kv.Fits(rows, grown))
        {
            return grown;
        }

        var tight = Math.Max(need, Round(admittedNeed));
        return tight < grown && _decoder.Kv.Fits(rows, tight) ? tight : -1;
    }

    /// <summary>Rows admitting <paramref name="s"/> takes: two for a drawing (its partner comes with it), else one.</summary>
    private static int RowsOf(Sequence s) => s.Drawing is null ? 1 : 2;

    private int Round(int need) => Math.Min(_decoder.Capacity, (need + StrideStep - 1) / StrideStep * StrideStep);

    /// <summary>Lays the admitted rows out with <paramref name="stride"/> positions each (nothing moves when it is the current one).</summary>
    private void UseStride(int stride)
    {
        if (stride == _decoder.Stride)
        {
            return;
        }

        var rows = _decoding.Count + _prefilling.Count;
        if (_rowLengths.Length < rows)
        {
            _rowLengths = new int[_decoder.MaxRows];
        }

        foreach (var s in _decoding)
        {
            _rowLengths[s.Row] = s.Length;
        }

        foreach (var s in _prefilling)
        {
            _rowLengths[s.Row] = s.Length;
        }

        _decoder.Relayout(stride, _rowLengths.AsSpan(0, rows));
    }
}
