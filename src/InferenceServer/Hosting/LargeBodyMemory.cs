namespace InferenceServer.Hosting;

/// <summary>
/// Remembers that a large request body went through (≥ <see cref="Threshold"/> bytes), so the process gives the memory
/// it took back to the system once the server is idle (<see cref="LargeBodyMemoryTrimmer"/>): the buffers, the text and
/// the documents of a 15 MB body are garbage after its request, but the GC keeps what it committed for them until a
/// full collection that may not come while the server idles.
/// </summary>
internal sealed class LargeBodyMemory
{
    public const long Threshold = 4 * 1024 * 1024;

    private int _pending;

    public void Note(long bodyBytes)
    {
        if (bodyBytes >= Threshold)
        {
            Volatile.Write(ref _pending, 1);
        }
    }

    /// <summary>True once per run of large bodies.</summary>
    public bool TakePending() => Interlocked.Exchange(ref _pending, 0) == 1;
}
