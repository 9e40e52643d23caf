namespace InferenceServer.Engine.Generation;

/// <summary>What the scheduler reports for metrics. The host implements it over its metrics library.</summary>
public interface IServingObserver
{
    void RequestRejected(string model);

    void RequestStarted(string model, TimeSpan queueTime);

    void FirstToken(string model, TimeSpan timeToFirstToken);

    void InterTokenLatency(string model, TimeSpan latency);

    void RequestFinished(string model, FinishReason reason, int promptTokens, int completionTokens, TimeSpan endToEnd);

    void PrefixCacheLookup(string model, int promptTokens, int hitTokens);

    /// <summary>
    /// Prompt tokens one prefill run computed: not those restored from the prefix cache, nor those a request's other
    /// choices (<c>n</c>) share.
    /// </summary>
    void PrefillComputed(string model, int tokens)
    {
    }

    /// <summary>One prefill run: the rows it computed together and its tokens, padding included.</summary>
    void PrefillRun(string model, int rows, int paddedTokens)
    {
    }

    /// <summary>One speculative verification of a row: tokens drafted, and how many of them the model accepted.</summary>
    void Speculated(string model, int draftTokens, int acceptedTokens)
    {
    }

    /// <summary>Gauges, reported after every step: sequences computing, sequences waiting, KV cache use (0..1).</summary>
    void SchedulerState(string model, int running, int waiting, double kvUsage);

    /// <summary>A step threw; its sequences end with <see cref="FinishReason.Aborted"/>. The host logs the fault.</summary>
    void StepFailed(string model, Exception error)
    {
    }
}
