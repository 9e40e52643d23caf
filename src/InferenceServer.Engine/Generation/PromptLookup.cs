namespace InferenceServer.Engine.Generation;

/// <summary>
/// Prompt-lookup drafting for one sequence (no draft model): the text so far (prompt, then every generated token) is
/// searched for the most recent earlier occurrence of its last n tokens, longest n first, and the tokens that followed
/// that occurrence are the draft. Copy-heavy output (code edits, quotes, retrieval answers, a model repeating itself)
/// drafts well; anything else drafts nothing and decodes as usual.
/// </summary>
internal sealed class PromptLookup
{
    private readonly List<int> _tokens;
    private readonly int _ngram;

    public PromptLookup(IReadOnlyList<int> prompt, int ngram)
    {
        _tokens = new List<int>(prompt.Count + 256);
        _tokens.AddRange(prompt);
        _ngram = ngram;
    }

    /// <summary>Drafts proposed so far, and how many of their tokens the model accepted.</summary>
    public long Drafted { get; set; }

    public long Accepted { get; set; }

    /// <summary>Appends a generated token.</summary>
    public void Add(int token) => _tokens.Add(token);

    /// <summary>
    /// Fills <paramref name="draft"/> with the tokens that followed the latest earlier occurrence of the last n tokens
    /// (n from the configured size down to 1) and returns its length; 0 when nothing matches.
    /// </summary>
    public int Draft(Span<int> draft)
    {
        var count = _tokens.Count;
        if (draft.Length == 0 || count < 2)
        {
            return 0;
        }

        for (var n = Math.Min(_ngram, count - 1); n >= 1; n--)
        {
            var tail = count - n;
            // Latest start first; the match must end before the tail itself so at least one token follows it.
            for (var start = tail - 1; start >= 0; start--)
            {
                if (!Matches(start, tail, n))
                {
                    continue;
                }

                // What followed, copied as an overlapping copy does: past the end of the text it goes on with the
                // draft itself, so a loop drafts whole periods rather than stopping at the tail.
                var from = start + n;
                for (var i = 0; i < draft.Length; i++)
                {
                    draft[i] = from + i < count ? _tokens[from + i] : draft[from + i - count];
                }

                return draft.Length;
            }
        }

        return 0;
    }

    private bool Matches(int start, int tail, int n)
    {
        for (var i = 0; i < n; i++)
        {
            if (_tokens[start + i] != _tokens[tail + i])
            {
                return false;
            }
        }

        return true;
    }
}
