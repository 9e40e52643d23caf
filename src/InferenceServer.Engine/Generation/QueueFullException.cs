namespace InferenceServer.Engine.Generation;

/// <summary>The model's admission queue is full (by requests or by queued prompt tokens): the request is refused.</summary>
public sealed class QueueFullException : Exception
{
    public QueueFullException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>A reasonable wait before retrying.</summary>
    public TimeSpan RetryAfter { get; }
}
