using System.Runtime.CompilerServices;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// A submitted request: <see cref="Started"/> completes when it leaves the queue (or ends there), and
/// <see cref="ReadAllAsync"/> yields its events (<see cref="ReadChoicesAsync"/> those of all its choices, tagged with
/// their index). Disposing it before the end cancels the request, every choice of it.
/// </summary>
public sealed class SequenceHandle : IDisposable
{
    private readonly ChoiceGroup _group;
    private readonly CancellationTokenSource _cancel;

    internal SequenceHandle(ChoiceGroup group, CancellationTokenSource cancel)
    {
        _group = group;
        _cancel = cancel;
    }

    public Task Started => _group.Started.Task;

    /// <summary>The request's choices (<c>n</c>).</summary>
    public int Choices => _group.Choices;

    /// <summary>Completes when the last choice has written its last event.</summary>
    internal Task Completion => _group.Events.Completion;

    /// <summary>The events of a single-choice request.</summary>
    public async IAsyncEnumerable<GenerationEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _group.Events.ReadAllAsync(cancellationToken))
        {
            yield return e.Event;
        }
    }

    /// <summary>The events of every choice as the scheduler produces them, interleaved; each choice ends with its own <see cref="GenerationFinished"/>.</summary>
    public IAsyncEnumerable<ChoiceEvent> ReadChoicesAsync(CancellationToken cancellationToken) => _group.Events.ReadAllAsync(cancellationToken);

    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
    }
}
