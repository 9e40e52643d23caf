using System.Threading.Channels;
using InferenceServer.Engine.Generation.Constraints;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Generation;

/// <summary>One request inside the scheduler: its prompt, sampler, output pipeline, KV row and timings.</summary>
internal sealed class Sequence : IDisposable
{
    private readonly Channel<GenerationEvent> _events;
    private readonly CancellationTokenRegistration _terminate;

    public Sequence(GenerationRequest request, SequenceOutput output, TokenSampler sampler, GrammarLogitsProcessor? grammar,
        CancellationToken cancellation, long enqueued)
    {
        Request = request;
        Output = output;
        Sampler = sampler;
        Grammar = grammar;
        Logprobs = request.TopLogprobs is { } top ? new LogprobCalculator(top) : null;
        Cancellation = cancellation;
        Prompt = request.PromptTokens as int[] ?? [.. request.PromptTokens];
        // Room for every event the request can produce: per token a text delta, logprobs and tool-call deltas,
        // then the flush and the finish. The scheduler never waits on a slow reader.
        _events = Channel.CreateBounded<GenerationEvent>(new BoundedChannelOptions((4 * request.MaxTokens) + 16) { SingleReader = true, SingleWriter = true });
        _terminate = cancellation.Register(static s => ((Sequence)s!).PrefillRun.Terminate = true, this);
        EmitEvent = Emit;
        Enqueued = enqueued;
    }

    public GenerationRequest Request { get; }

    public int[] Prompt { get; }

    public SequenceOutput Output { get; }

    public TokenSampler Sampler { get; }

    /// <summary>Constrained decoding (JSON output, forced tool calls), or null.</summary>
    public GrammarLogitsProcessor? Grammar { get; }

    public LogprobCalculator? Logprobs { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>Set while a prefill chunk runs, so a client that leaves ends that ONNX call too.</summary>
    public RunOptions PrefillRun { get; } = new();

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelReader<GenerationEvent> Events => _events.Reader;

    /// <summary>KV row while running; -1 while waiting.</summary>
    public int Row { get; set; } = -1;

    /// <summary>Tokens whose keys and values are in the row.</summary>
    public int Length { get; set; }

    /// <summary>Prompt tokens restored from the prefix cache.</summary>
    public int CachedTokens { get; set; }

    /// <summary>The token to feed at the next decode step.</summary>
    public int NextInput { get; set; }

    public long Enqueued { get; }

    public long LastTokenAt { get; set; }

    public bool HasFirstToken { get; set; }

    public FinishReason? Finished { get; private set; }

    /// <summary><see cref="Emit"/> as a delegate made once, for the per-token output pipeline.</summary>
    public Action<GenerationEvent> EmitEvent { get; }

    public void Emit(GenerationEvent e)
    {
        if (!_events.Writer.TryWrite(e) && Finished is null)
        {
            // Cannot happen with the capacity above; if it ever does, fail loudly rather than lose output.
            Fail(new InvalidOperationException("The output queue of the request overflowed."));
        }
    }

    public void Finish(FinishReason reason)
    {
        if (Finished is not null)
        {
            return;
        }

        Output.Flush(EmitEvent);
        Finished = reason == FinishReason.Stop && Output.ToolCalls > 0 ? FinishReason.ToolCalls : reason;
        Emit(new GenerationFinished(Finished.Value, new GenerationUsage(Prompt.Length, Output.CompletionTokens, Output.ReasoningTokens, CachedTokens))
        {
            StopString = Output.StopString,
        });
        _events.Writer.TryComplete();
        Started.TrySetResult();
    }

    public void Fail(Exception error)
    {
        Finished ??= FinishReason.InsufficientSystemResource;
        _events.Writer.TryComplete(error);
        Started.TrySetResult();
    }

    public void Dispose()
    {
        _terminate.Dispose();
        PrefillRun.Dispose();
    }
}
