using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>Counts what prompt-lookup speculation drafted and what the model accepted.</summary>
internal sealed class SpeculationRecorder : IServingObserver
{
    private long _drafted;
    private long _accepted;
    private long _verifications;

    public long Drafted => Interlocked.Read(ref _drafted);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Verifications => Interlocked.Read(ref _verifications);

    public void Speculated(string model, int draftTokens, int acceptedTokens)
    {
        Interlocked.Add(ref _drafted, draftTokens);
        Interlocked.Add(ref _accepted, acceptedTokens);
        Interlocked.Increment(ref _verifications);
    }

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
