namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// Splits text on added tokens the way Hugging Face's AddedVocabulary does: leftmost, longest match first, with
/// <c>lstrip</c>/<c>rstrip</c> swallowing neighbouring whitespace and <c>single_word</c> requiring word boundaries.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>Appends the segments of <paramref name="text"/> to <paramref name="output"/>.</summary>
    public void Split(string text, bool textAtStart, List<TextSegment> output)
    {
        if (IsEmpty)
        {
            output.Add(new TextSegment(text, -1, textAtStart));
            return;
        }

        int plainStart = 0;
        int i = 0;
        while (i < text.Length)
        {
            AddedToken? match = FindAt(text, i);
            if (match is null)
            {
                i++;
                continue;
            }

            int start = i;
            int end = i + match.Content.Length;
            if (match.LeftStrip)
            {
                while (start > plainStart && char.IsWhiteSpace(text[start - 1]))
                {
                    start--;
                }
            }

            if (match.RightStrip)
            {
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
            }

            if (start > plainStart)
            {
                output.Add(new TextSegment(text[plainStart..start], -1, textAtStart && plainStart == 0));
            }

            output.Add(new TextSegment(match.Content, match.Id, textAtStart && start == 0));
            plainStart = end;
            i = end;
        }

        if (plainStart < text.Length)
        {
            output.Add(new TextSegment(text[plainStart..], -1, textAtStart && plainStart == 0));
        }
    }

    private AddedToken? FindAt(string text, int index)
    {
        if (!_byFirstChar.TryGetValue(text[index], out AddedToken[]? candidates))
        {
            return null;
        }

        foreach (AddedToken candidate in candidates)
        {
            if (!text.AsSpan(index).StartsWith(candidate.Content, StringComparison.Ordinal))
            {
                continue;
            }

            if (candidate.SingleWord && !IsWholeWord(text, index, index + candidate.Content.Length))
            {
                continue;
            }

            return candidate;
        }

        return null;
    }

    private static bool IsWholeWord(string text, int start, int end)
    {
        bool leftOk = start == 0 || !IsWordChar(text[start - 1]);
        bool rightOk = end == text.Length || !IsWordChar(text[end]);
        return leftOk && rightOk;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
