namespace InferenceServer.Engine.Generation;

/// <summary>
/// Finds stop strings in streamed text. Text that could still be the start of a stop string is held back, so a
/// stop string never leaks partially; the stop string itself is not part of the output.
/// </summary>
internal sealed class StopStringMatcher
{
    private readonly string[] _stops;
    private readonly int _longest;
    private string _pending = string.Empty;

    public StopStringMatcher(IReadOnlyList<string> stops)
    {
        _stops = stops.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        _longest = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length);
    }

    public bool Stopped => Matched is not null;

    /// <summary>The stop string that ended the output, or null.</summary>
    public string? Matched { get; private set; }

    /// <summary>Adds generated text; returns the part that is safe to emit now.</summary>
    public string Push(string text)
    {
        if (Stopped)
        {
            return string.Empty;
        }

        if (_stops.Length == 0)
        {
            return text;
        }

        var buffer = _pending + text;
        var (cut, stop) = FirstMatch(buffer);
        if (cut >= 0)
        {
            Matched = stop;
            _pending = string.Empty;
            return buffer[..cut];
        }

        var hold = HeldSuffixLength(buffer);
        _pending = buffer[^hold..];
        return buffer[..^hold];
    }

    /// <summary>At the end of generation: the held-back text, which turned out not to be a stop string.</summary>
    public string Flush()
    {
        var rest = Stopped ? string.Empty : _pending;
        _pending = string.Empty;
        return rest;
    }

    private (int At, string? Stop) FirstMatch(string buffer)
    {
        var first = -1;
        string? matched = null;
        foreach (var stop in _stops)
        {
            var at = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
                matched = stop;
            }
        }

        return (first, matched);
    }

    /// <summary>Length of the longest suffix of <paramref name="buffer"/> that is a proper prefix of some stop string.</summary>
    private int HeldSuffixLength(string buffer)
    {
        var max = Math.Min(_longest - 1, buffer.Length);
        for (var len = max; len > 0; len--)
        {
            var suffix = buffer.AsSpan(buffer.Length - len);
            foreach (var stop in _stops)
            {
                if (stop.Length > len && stop.AsSpan(0, len).SequenceEqual(suffix))
                {
                    return len;
                }
            }
        }

        return 0;
    }
}
