using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// What one sequence's sampled tokens become: incremental detokenizing (UTF-8 safe) → stop-string hold-back →
/// think splitting → tool-call extraction (when asked), with the completion and reasoning token counts.
/// </summary>
internal sealed class SequenceOutput
{
    private readonly BpeTokenizer _tokenizer;
    private readonly IncrementalDetokenizer _detokenizer;
    private readonly StopStringMatcher _stops;
    private readonly ThinkSplitter _think;
    private readonly ToolCallOutput? _tools;

    public SequenceOutput(BpeTokenizer tokenizer, GenerationRequest request)
    {
        _tokenizer = tokenizer;
        _detokenizer = new IncrementalDetokenizer(tokenizer, skipSpecialTokens: true, continuesText: HasText(tokenizer, request.PromptTokens));
        _stops = new StopStringMatcher(request.StopStrings);
        _think = new ThinkSplitter(request.StartsInsideThinking);
        _tools = request.ParseToolCalls ? new ToolCallOutput(ToolCallExtractor.MarkerTokenIds(tokenizer)) : null;
    }

    public int CompletionTokens { get; private set; }

    public int ReasoningTokens { get; private set; }

    public bool InReasoning => _think.InReasoning;

    /// <summary>Tool calls parsed so far.</summary>
    public int ToolCalls => _tools?.Count ?? 0;

    /// <summary>True once a stop string appeared: nothing after it is emitted.</summary>
    public bool Stopped => _stops.Stopped;

    /// <summary>The stop string that ended the output, or null.</summary>
    public string? StopString => _stops.Matched;

    /// <summary>Takes a sampled (non-EOS) token and emits the text or tool-call deltas it completes.</summary>
    public void Accept(int token, Action<GenerationEvent> emit)
    {
        CompletionTokens++;
        if (_think.InReasoning)
        {
            ReasoningTokens++;
        }

        // Tool-call markers are special tokens the detokenizer would skip; the tool-call parser needs them.
        var piece = _tools is not null && _tools.IsMarker(token)
            ? _detokenizer.Flush() + _tokenizer.IdToToken(token)
            : _detokenizer.Push(token);
        Emit(_think.Push(_stops.Push(piece)), emit);
    }

    // The output continues the prompt's text unless the prompt is only special tokens (BOS): then it starts the text.
    private static bool HasText(BpeTokenizer tokenizer, IReadOnlyList<int> prompt)
    {
        for (int i = prompt.Count - 1; i >= 0; i--)
        {
            if (tokenizer.IsDecoded(prompt[i], skipSpecialTokens: true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>At the end: text held back for a possible stop string or an incomplete character, and open tool calls.</summary>
    public void Flush(Action<GenerationEvent> emit)
    {
        var tail = _stops.Push(_detokenizer.Flush()) + _stops.Flush();
        Emit(_think.Push(tail), emit);
        Emit(_think.Flush(), emit);
        _tools?.Flush(emit);
    }

    private void Emit((string Reasoning, string Content) delta, Action<GenerationEvent> emit)
    {
        if (_tools is not null)
        {
            _tools.Emit(delta, emit);
        }
        else if (delta.Reasoning.Length > 0 || delta.Content.Length > 0)
        {
            emit(new TextDelta(delta.Reasoning, delta.Content));
        }
    }
}
