using System.Text.RegularExpressions;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>Hugging Face's <c>NormalizedString::split</c>: cuts text at pattern matches and applies a behavior.</summary>
internal static class PatternSplitter
{
    public static void Split(PreToken token, Regex pattern, SplitBehavior behavior, bool invert, List<PreToken> output)
    {
        string text = token.Text;
        var pieces = new List<(int Start, int End, bool IsMatch)>();
        int previous = 0;
        foreach (ValueMatch match in pattern.EnumerateMatches(text))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > previous)
            {
                pieces.Add((previous, match.Index, invert));
            }

            pieces.Add((match.Index, match.Index + match.Length, !invert));
            previous = match.Index + match.Length;
        }

        if (previous < text.Length)
        {
            pieces.Add((previous, text.Length, invert));
        }

        Emit(token, Apply(pieces, behavior), output);
    }

    public static void SplitOnChar(PreToken token, char delimiter, SplitBehavior behavior, List<PreToken> output)
    {
        string text = token.Text;
        var pieces = new List<(int Start, int End, bool IsMatch)>();
        int previous = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != delimiter)
            {
                continue;
            }

            if (i > previous)
            {
                pieces.Add((previous, i, false));
            }

            pieces.Add((i, i + 1, true));
            previous = i + 1;
        }

        if (previous < text.Length)
        {
            pieces.Add((previous, text.Length, false));
        }

        Emit(token, Apply(pieces, behavior), output);
    }

    private static void Emit(PreToken token, List<(int Start, int End, bool IsMatch)> pieces, List<PreToken> output)
    {
        if (pieces.Count == 1 && pieces[0].Start == 0 && pieces[0].End == token.Text.Length)
        {
            output.Add(token);
            return;
        }

        foreach ((int start, int end, _) in pieces)
        {
            if (end > start)
            {
                output.Add(new PreToken(token.Text[start..end], token.AtStart && start == 0));
            }
        }
    }

    private static List<(int Start, int End, bool IsMatch)> Apply(List<(int Start, int End, bool IsMatch)> pieces, SplitBehavior behavior)
    {
        var result = new List<(int Start, int End, bool IsMatch)>(pieces.Count);
        bool previousMatch = false;
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                return pieces;
            case SplitBehavior.Removed:
                foreach (var piece in pieces)
                {
                    if (!piece.IsMatch)
                    {
                        result.Add(piece);
                    }
                }

                return result;
            case SplitBehavior.MergedWithPrevious:
                foreach (var piece in pieces)
                {
                    if (piece.IsMatch && !previousMatch && result.Count > 0)
                    {
                        result[^1] = (result[^1].Start, piece.End, false);
                    }
                    else
                    {
                        result.Add((piece.Start, piece.End, false));
                    }

                    previousMatch = piece.IsMatch;
                }

                return result;
            case SplitBehavior.MergedWithNext:
                for (int i = pieces.Count - 1; i >= 0; i--)
                {
                    var piece = pieces[i];
                    if (piece.IsMatch && !previousMatch && result.Count > 0)
                    {
                        result[^1] = (piece.Start, result[^1].End, false);
                    }
                    else
                    {
                        result.Add((piece.Start, piece.End, false));
                    }

                    previousMatch = piece.IsMatch;
                }

                result.Reverse();
                return result;
            default:
                foreach (var piece in pieces)
                {
                    if (piece.IsMatch == previousMatch && result.Count > 0)
                    {
                        result[^1] = (result[^1].Start, piece.End, false);
                    }
                    else
                    {
                        result.Add((piece.Start, piece.End, false));
                    }

                    previousMatch = piece.IsMatch;
                }

                return result;
        }
    }
}
