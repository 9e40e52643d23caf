namespace InferenceServer.Engine.Generation;

/// <summary>
/// Splits generated text into reasoning (between <c>&lt;think&gt;</c> and <c>&lt;/think&gt;</c>) and content. The tags
/// never reach either side, also when a tag arrives split across tokens; a prompt that already opened the
/// think block (templates that prefill <c>&lt;think&gt;</c>) starts in reasoning.
/// </summary>
internal sealed class ThinkSplitter
{
    private const string Open = "<think>";
    private const string Close = "</think>";
    private string _pending = string.Empty;
    private bool _seenClose;
    private bool _trimNewlines;

    public ThinkSplitter(bool startsInsideThinking)
    {
        InReasoning = startsInsideThinking;
    }

    public bool InReasoning { get; private set; }

    public (string Reasoning, string Content) Push(string text)
    {
        // The common case on the per-token path: no tag can start here, so nothing to split and nothing to allocate.
        if (_pending.Length == 0 && !text.Contains('<', StringComparison.Ordinal))
        {
            return InReasoning ? (text, string.Empty) : (string.Empty, TrimAfterClose(text));
        }

        var buffer = _pending + text;
        _pending = string.Empty;
        var reasoning = new System.Text.StringBuilder();
        var content = new System.Text.StringBuilder();
        while (buffer.Length > 0)
        {
            var tag = InReasoning ? Close : (_seenClose ? null : Open);
            if (tag is null)
            {
                content.Append(TrimAfterClose(buffer));
                break;
            }

            var at = buffer.IndexOf(tag, StringComparison.Ordinal);
            if (at >= 0)
            {
                (InReasoning ? reasoning : content).Append(buffer, 0, at);
                buffer = buffer[(at + tag.Length)..];
                if (InReasoning)
                {
                    _seenClose = true;
                    _trimNewlines = true;
                    InReasoning = false;
                }
                else
                {
                    InReasoning = true;
                }

                continue;
            }

            var hold = PartialTagSuffix(buffer, tag);
            (InReasoning ? reasoning : content).Append(buffer, 0, buffer.Length - hold);
            _pending = buffer[^hold..];
            break;
        }

        return (reasoning.ToString(), content.ToString());
    }

    public (string Reasoning, string Content) Flush()
    {
        var rest = _pending;
        _pending = string.Empty;
        return InReasoning ? (rest, string.Empty) : (string.Empty, rest);
    }

    /// <summary>The blank lines a model writes after <c>&lt;/think&gt;</c> are not part of the answer.</summary>
    private string TrimAfterClose(string text)
    {
        if (!_trimNewlines)
        {
            return text;
        }

        var trimmed = text.TrimStart('\n');
        _trimNewlines = trimmed.Length == 0;
        return trimmed;
    }

    private static int PartialTagSuffix(string buffer, string tag)
    {
        for (var len = Math.Min(tag.Length - 1, buffer.Length); len > 0; len--)
        {
            if (buffer.AsSpan(buffer.Length - len).SequenceEqual(tag.AsSpan(0, len)))
            {
                return len;
            }
        }

        return 0;
    }
}
