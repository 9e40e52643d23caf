namespace InferenceServer.Engine.Generation;

/// <summary>Observers for the scheduler; <see cref="None"/> when nothing is measured (tools, tests).</summary>
public static class ServingObserver
{
    public static IServingObserver None { get; } = new NoObserver();

    private sealed class NoObserver : IServingObserver
    {
        public void RequestRejected(string model)
        {
        }

        public void RequestStarted(string model, TimeSpan queueTime)
        {
        }

        public void FirstToken(string model, TimeSpan timeToFirstToken)
        {
        }

        public void InterTokenLatency(string model, TimeSpan latency)
        {
        }

        public void RequestFinished(string model, FinishReason reason, int promptTokens, int completionTokens, TimeSpan endToEnd)
        {
        }

        public void PrefixCacheLookup(string model, int promptTokens, int hitTokens)
        {
        }

        public void SchedulerState(string model, int running, int waiting, double kvUsage)
        {
        }
    }
}
