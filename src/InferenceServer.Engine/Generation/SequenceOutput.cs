using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// What one sequence's sampled tokens become: incremental detokenizing (UTF-8 safe) → stop-string hold-back →
/// think splitting, with the completion and reasoning token counts.
/// </summary>
internal sealed class SequenceOutput
{
    private readonly IncrementalDetokenizer _detokenizer;
    private readonly StopStringMatcher _stops;
    private readonly ThinkSplitter _think;

    public SequenceOutput(BpeTokenizer tokenizer, GenerationRequest request)
    {
        _detokenizer = new IncrementalDetokenizer(tokenizer, skipSpecialTokens: true);
        _stops = new StopStringMatcher(request.StopStrings);
        _think = new ThinkSplitter(request.StartsInsideThinking);
    }

    public int CompletionTokens { get; private set; }

    public int ReasoningTokens { get; private set; }

    /// <summary>True once a stop string appeared: nothing after it is emitted.</summary>
    public bool Stopped => _stops.Stopped;

    /// <summary>Takes a sampled (non-EOS) token; returns the text it completes, or null.</summary>
    public TextDelta? Accept(int token)
    {
        CompletionTokens++;
        if (_think.InReasoning)
        {
            ReasoningTokens++;
        }

        return Delta(_think.Push(_stops.Push(_detokenizer.Push(token))));
    }

    /// <summary>At the end: text held back for a possible stop string or an incomplete character.</summary>
    public TextDelta? Flush()
    {
        var tail = _stops.Push(_detokenizer.Flush()) + _stops.Flush();
        var (reasoning, content) = _think.Push(tail);
        var (r2, c2) = _think.Flush();
        return Delta((reasoning + r2, content + c2));
    }

    private static TextDelta? Delta((string Reasoning, string Content) d) =>
        d.Reasoning.Length == 0 && d.Content.Length == 0 ? null : new TextDelta(d.Reasoning, d.Content);
}
