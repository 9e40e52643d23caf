namespace InferenceServer.Engine.Generation;

/// <summary>
/// A submitted drawing: its two sequences and the tokens they draw. Disposing it before the end cancels both.
/// </summary>
internal sealed class DrawingHandle : IDisposable
{
    private readonly Drawing _drawing;
    private readonly CancellationTokenSource _cancel;

    public DrawingHandle(Drawing drawing, CancellationTokenSource cancel)
    {
        _drawing = drawing;
        _cancel = cancel;
    }

    /// <summary>
    /// The drawn image tokens, once both sequences have ended. A drawing cancelled by <paramref name="cancellationToken"/>
    /// throws <see cref="OperationCanceledException"/>; one that expired in the queue its <see cref="QueueTimeoutException"/>;
    /// one ended early by a failed step or a shutdown an <see cref="InvalidOperationException"/> naming why.
    /// </summary>
    public async Task<long[]> TokensAsync(CancellationToken cancellationToken)
    {
        var first = await EndOf(_drawing.Conditional.Group, cancellationToken);
        var second = await EndOf(_drawing.Unconditional.Group, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (first == FinishReason.Stop && second == FinishReason.Stop && _drawing.Complete)
        {
            return _drawing.Tokens;
        }

        var reason = first == FinishReason.Stop ? second : first;
        if (reason == FinishReason.Cancelled)
        {
            throw new OperationCanceledException("The drawing was cancelled.");
        }

        throw new InvalidOperationException($"The drawing ended after {_drawing.Drawn} of {_drawing.Tokens.Length} image tokens ({reason}).");
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
    }

    private static async Task<FinishReason?> EndOf(ChoiceGroup group, CancellationToken cancellationToken)
    {
        FinishReason? reason = null;
        await foreach (var e in group.Events.ReadAllAsync(cancellationToken))
        {
            if (e.Event is GenerationFinished finished)
            {
                reason = finished.Reason;
            }
        }

        return reason;
    }
}
