namespace InferenceServer.Engine.Generation;

/// <summary>A request waited in the admission queue longer than allowed without starting.</summary>
public sealed class QueueTimeoutException : Exception
{
    public QueueTimeoutException(TimeSpan waited)
        : base($"The request was not started within {waited.TotalSeconds:0} seconds because the server is busy; retry later.")
    {
    }
}
