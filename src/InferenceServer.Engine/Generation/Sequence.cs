using InferenceServer.Engine.Generation.Constraints;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// One choice of a request inside the scheduler: its prompt, sampler, output pipeline, KV row and timings. A request
/// with <c>n</c> choices is <c>n</c> sequences in one <see cref="ChoiceGroup"/>.
/// </summary>
internal sealed class Sequence : IDisposable
{
    private readonly CancellationTokenRegistration _terminate;

    public Sequence(GenerationRequest request, SequenceOutput output, TokenSampler sampler, GrammarLogitsProcessor? grammar,
        CancellationToken cancellation, long enqueued, ChoiceGroup group, int index)
    {
        Group = group;
        Index = index;
        Request = request;
        Output = output;
        Sampler = sampler;
        Grammar = grammar;
        Logprobs = request.TopLogprobs is { } top ? new LogprobCalculator(top) : null;
        Cancellation = cancellation;
        Prompt = request.PromptTokens as int[] ?? [.. request.PromptTokens];
        _terminate = cancellation.Register(static s => ((Sequence)s!).PrefillRun.Terminate = true, this);
        EmitEvent = Emit;
        Enqueued = enqueued;
    }

    public ChoiceGroup Group { get; }

    /// <summary>The choice's index in its request (0 for a single choice).</summary>
    public int Index { get; }

    /// <summary>A choice after the first: it shares the first choice's prefill instead of computing the prompt.</summary>
    public bool IsFollower => Index > 0;

    /// <summary>Prompt tokens this sequence itself computes or waits to compute: none for a follower.</summary>
    public int PrefillTokens => IsFollower ? 0 : Prompt.Length;

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

    public TaskCompletionSource Started => Group.Started;

    /// <summary>KV row while running; -1 while waiting.</summary>
    public int Row { get; set; } = -1;

    /// <summary>Positions the row must have room for: prompt + max_tokens, at most the context (what admission reserves).</summary>
    public int Need { get; init; }

    /// <summary>Tokens whose keys and values are in the row.</summary>
    public int Length { get; set; }

    /// <summary>Prompt tokens restored from the prefix cache.</summary>
    public int CachedTokens { get; set; }

    /// <summary>The token to feed at the next decode step.</summary>
    public int NextInput { get; set; }

    public long Enqueued { get; }

    /// <summary>The scheduler's step count when the request was queued: how long it has waited, in steps.</summary>
    public long EnqueuedStep { get; set; }

    public long LastTokenAt { get; set; }

    /// <summary>The prompt-lookup drafter of a row that speculates (greedy, unconstrained), made at its first token; else null.</summary>
    public PromptLookup? Lookup { get; set; }

    /// <summary>The most tokens the row's next draft may have (0: <c>Speculation:MaxDraftTokens</c>), moved by how its drafts fare.</summary>
    public int DraftLimit { get; set; }

    public bool HasFirstToken { get; set; }

    /// <summary>The picture this row draws with its partner (<see cref="Generation.Drawing"/>), or null for text.</summary>
    public Drawing? Drawing { get; init; }

    public FinishReason? Finished { get; private set; }

    /// <summary><see cref="Emit"/> as a delegate made once, for the per-token output pipeline.</summary>
    public Action<GenerationEvent> EmitEvent { get; }

    public void Emit(GenerationEvent e)
    {
        if (!Group.TryWrite(Index, e) && Finished is null)
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
        var usage = new GenerationUsage(Prompt.Length, Output.CompletionTokens, Output.ReasoningTokens, CachedTokens) { ImageTokens = Request.Images?.Tokens ?? 0 };
        Emit(new GenerationFinished(Finished.Value, usage)
        {
            StopString = Output.StopString,
        });
        Group.Ended();
    }

    public void Fail(Exception error)
    {
        Finished ??= FinishReason.InsufficientSystemResource;
        Group.Fail(error);
    }

    public void Dispose()
    {
        _terminate.Dispose();
        PrefillRun.Dispose();
    }
}
