using System.Threading.Channels;
using InferenceServer.Engine.Generation.Constraints;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// One sequence from prompt to finish: prefill, then sample → detokenize → stop strings → think split → emit,
/// one decode step per token. Stops at EOS, a stop string, <c>max_tokens</c>, a full context, or cancellation.
/// </summary>
internal sealed class GenerationLoop
{
    private readonly TextModel _model;
    private readonly OnnxDecoder _decoder;
    private readonly GenerationRequest _request;
    private readonly IReadOnlySet<int> _eos;

    public GenerationLoop(TextModel model, OnnxDecoder decoder, GenerationRequest request, IReadOnlySet<int> eos)
    {
        _model = model;
        _decoder = decoder;
        _request = request;
        _eos = eos;
    }

    public int CompletionTokens { get; private set; }

    /// <param name="abort">The server ending generations (shutdown deadline): the loop stops at its next step and
    /// finishes normally with <see cref="FinishReason.InsufficientSystemResource"/>.</param>
    public async Task<FinishReason> RunAsync(ChannelWriter<GenerationEvent> writer, CancellationToken cancellationToken, CancellationToken abort, Action onToken)
    {
        using var runOptions = new RunOptions();
        using var terminate = cancellationToken.Register(() => runOptions.Terminate = true);
        var prompt = _request.PromptTokens;
        var capacity = Math.Min(_model.ContextLength, prompt.Count + _request.MaxTokens);
        using var cache = _decoder.CreateCache(capacity);
        var logits = new float[_decoder.VocabSize];
        var sampler = new TokenSampler(_request.Sampling, logits.Length);
        var detokenizer = new IncrementalDetokenizer(_model.Tokenizer, skipSpecialTokens: true);
        var stops = new StopStringMatcher(_request.StopStrings);
        var think = new ThinkSplitter(_request.StartsInsideThinking);
        var reasoningTokens = 0;

        // [issue 4] per-sequence processors: constrained decoding, tool-call extraction, logprobs.
        var grammar = _request.Grammar is { } g ? new GrammarLogitsProcessor(g, _model.Tokenizer, _eos, _request.StartsInsideThinking) : null;
        var tools = _request.ParseToolCalls ? new ToolCallOutput(ToolCallExtractor.MarkerTokenIds(_model.Tokenizer)) : null;
        var logprobs = _request.TopLogprobs is { } top ? new LogprobCalculator(top) : null;

        cancellationToken.ThrowIfCancellationRequested();
        _decoder.Forward(cache, prompt is int[] array ? array : [.. prompt], logits, runOptions);
        var reason = FinishReason.Length;
        var step = new int[1];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (abort.IsCancellationRequested)
            {
                reason = FinishReason.InsufficientSystemResource;
                break;
            }

            grammar?.Apply(logits, _request.MaxTokens - CompletionTokens); // [issue 4]
            var token = sampler.Sample(logits);
            if (_eos.Contains(token))
            {
                reason = FinishReason.Stop;
                break;
            }

            grammar?.Accept(token); // [issue 4]
            if (logprobs is not null)
            {
                await writer.WriteAsync(logprobs.Compute(logits, token, think.InReasoning), cancellationToken);
            }

            sampler.Accept(token);
            CompletionTokens++;
            onToken();
            if (think.InReasoning)
            {
                reasoningTokens++;
            }

            var piece = tools is not null && tools.IsMarker(token) ? detokenizer.Flush() + _model.Tokenizer.IdToToken(token) : detokenizer.Push(token);
            var text = stops.Push(piece);
            await EmitAsync(writer, think.Push(text), tools, cancellationToken);
            if (stops.Stopped || grammar is { IsFinished: true }) // [issue 4] a finished grammar ends the sequence
            {
                reason = FinishReason.Stop;
                break;
            }

            if (CompletionTokens >= _request.MaxTokens || cache.Length >= capacity)
            {
                reason = FinishReason.Length;
                break;
            }

            step[0] = token;
            _decoder.Forward(cache, step, logits, runOptions);
        }

        var tail = stops.Push(detokenizer.Flush()) + stops.Flush();
        await EmitAsync(writer, think.Push(tail), tools, cancellationToken);
        await EmitAsync(writer, think.Flush(), tools, cancellationToken);
        if (tools is not null)
        {
            await tools.FlushAsync(writer, cancellationToken);
            if (reason == FinishReason.Stop && tools.Count > 0)
            {
                reason = FinishReason.ToolCalls;
            }
        }

        var usage = new GenerationUsage(prompt.Count, CompletionTokens, reasoningTokens, CachedPromptTokens: 0);
        await writer.WriteAsync(new GenerationFinished(reason, usage), cancellationToken);
        return reason;
    }

    private static ValueTask EmitAsync(ChannelWriter<GenerationEvent> writer, (string Reasoning, string Content) delta, ToolCallOutput? tools, CancellationToken cancellationToken)
    {
        if (tools is not null)
        {
            return tools.EmitAsync(writer, delta, cancellationToken);
        }

        return delta.Reasoning.Length == 0 && delta.Content.Length == 0
            ? ValueTask.CompletedTask
            : writer.WriteAsync(new TextDelta(delta.Reasoning, delta.Content), cancellationToken);
    }
}
