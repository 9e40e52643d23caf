namespace InferenceServer.Engine.Generation;

/// <summary>
/// A submitted request: <see cref="Started"/> completes when it leaves the queue (or ends there), and
/// <see cref="ReadAllAsync"/> yields its events. Disposing it before the end cancels the request.
/// </summary>
public sealed class SequenceHandle : IDisposable
{
    private readonly Sequence _sequence;
    private readonly CancellationTokenSource _cancel;

    internal SequenceHandle(Sequence sequence, CancellationTokenSource cancel)
    {
        _sequence = sequence;
        _cancel = cancel;
    }

    public Task Started => _sequence.Started.Task;

    /// <summary>Completes when the sequence has written its last event.</summary>
    internal Task Completion => _sequence.Events.Completion;

    public IAsyncEnumerable<GenerationEvent> ReadAllAsync(CancellationToken cancellationToken) =>
        _sequence.Events.ReadAllAsync(cancellationToken);

    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
    }
}
