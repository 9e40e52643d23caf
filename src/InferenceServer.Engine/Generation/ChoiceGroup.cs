using System.Threading.Channels;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// The <c>n</c> choices of one request: one event channel for all of them (tagged with the choice's index), one
/// start signal, and the one prefill they share. Choice 0 (the leader) computes the prompt; each other choice (a
/// follower) gets the leader's prompt KV and last logits instead of computing them again. Used by the scheduler's
/// thread only, except for the reader of <see cref="Events"/>.
/// </summary>
internal sealed class ChoiceGroup
{
    private readonly Channel<ChoiceEvent> _events;
    private int _running;

    public ChoiceGroup(int choices, int maxTokens)
    {
        Choices = choices;
        _running = choices;
        Unadmitted = choices;
        // Room for every event the choices can produce: per token a text delta, logprobs and tool-call deltas, then
        // the flush and the finish. The scheduler never waits on a slow reader.
        _events = Channel.CreateBounded<ChoiceEvent>(new BoundedChannelOptions(choices * ((4 * maxTokens) + 16)) { SingleReader = true, SingleWriter = true });
    }

    public int Choices { get; }

    public ChannelReader<ChoiceEvent> Events => _events.Reader;

    /// <summary>Completes when the first choice leaves the queue (or the request ends there).</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the leader's prompt is in its row: <see cref="PromptLogits"/> is set.</summary>
    public bool Prefilled { get; private set; }

    /// <summary>The leader's logits after the last prompt token, which every follower samples its first token from.</summary>
    public float[]? PromptLogits { get; private set; }

    /// <summary>The prompt's KV (all layers), kept only while a follower still waits for a row.</summary>
    public byte[]? PromptKv { get; set; }

    /// <summary>Prompt tokens the leader restored from the prefix cache; the followers report the same.</summary>
    public int CachedTokens { get; private set; }

    /// <summary>Choices not yet given a row.</summary>
    public int Unadmitted { get; set; }

    public bool TryWrite(int index, GenerationEvent e) => _events.Writer.TryWrite(new ChoiceEvent(index, e));

    public void LeaderPrefilled(ReadOnlySpan<float> logits, int cachedTokens)
    {
        Prefilled = true;
        CachedTokens = cachedTokens;
        if (Choices > 1)
        {
            PromptLogits = logits.ToArray();
        }
    }

    /// <summary>One choice has written its last event; the channel completes with the last one.</summary>
    public void Ended()
    {
        if (--_running == 0)
        {
            PromptKv = null;
            _events.Writer.TryComplete();
        }

        Started.TrySetResult();
    }

    /// <summary>Ends the channel for every choice with an error.</summary>
    public void Fail(Exception error)
    {
        PromptKv = null;
        _events.Writer.TryComplete(error);
        Started.TrySetResult();
    }
}
