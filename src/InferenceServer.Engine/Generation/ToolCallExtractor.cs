using System.Text;
using System.Text.Json;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// Takes tool calls out of the streamed answer text (after the think splitter). Understands DeepSeek's markers —
/// V3.1+ <c>&lt;｜tool▁call▁begin｜&gt;name&lt;｜tool▁sep｜&gt;{args}&lt;｜tool▁call▁end｜&gt;</c> and V3's
/// <c>function&lt;｜tool▁sep｜&gt;name\n```json\n{args}\n```</c> — and the Qwen/Hermes <c>&lt;tool_call&gt;{json}&lt;/tool_call&gt;</c>
/// form. Marker text split across pushes is held back, so no part of a marker reaches the content. One per sequence.
/// </summary>
internal sealed class ToolCallExtractor
{
    public const string CallsBegin = "<｜tool▁calls▁begin｜>";
    public const string CallBegin = "<｜tool▁call▁begin｜>";
    public const string Separator = "<｜tool▁sep｜>";
    public const string CallEnd = "<｜tool▁call▁end｜>";
    public const string CallsEnd = "<｜tool▁calls▁end｜>";
    public const string HermesOpen = "<tool_call>";
    public const string HermesClose = "</tool_call>";
    private static readonly string[] ContentMarkers = [CallsBegin, CallBegin, HermesOpen];
    private static readonly string[] SectionMarkers = [CallBegin, CallsEnd];
    private static readonly string[] NameMarkers = [Separator];
    private static readonly string[] ArgumentMarkers = [CallEnd];
    private static readonly string[] HermesMarkers = [HermesClose];
    private readonly StringBuilder _call = new();
    private string _pending = string.Empty;
    private State _state;
    private string _name = string.Empty;

    private enum State
    {
        Content,
        Section,
        Name,
        Arguments,
        LegacyCall,
        Hermes,
    }

    /// <summary>Tool calls started so far.</summary>
    public int Count { get; private set; }

    /// <summary>The ids of DeepSeek's tool-call markers that are special tokens in this vocabulary.</summary>
    public static IReadOnlySet<int> MarkerTokenIds(BpeTokenizer tokenizer)
    {
        var ids = new HashSet<int>();
        foreach (var marker in (string[])[CallsBegin, CallBegin, Separator, CallEnd, CallsEnd])
        {
            if (tokenizer.TokenToId(marker) is { } id && tokenizer.IsSpecial(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    public void Push(string text, StringBuilder content, List<ToolCallDelta> calls)
    {
        var buffer = _pending + text;
        _pending = string.Empty;
        while (buffer.Length > 0)
        {
            var markers = _state switch
            {
                State.Content => ContentMarkers,
                State.Section => SectionMarkers,
                State.Name => NameMarkers,
                State.Arguments or State.LegacyCall => ArgumentMarkers,
                _ => HermesMarkers,
            };
            var (at, marker) = FirstMarker(buffer, markers);
            if (at < 0)
            {
                var hold = PartialMarkerSuffix(buffer, markers);
                Take(buffer[..^hold], content, calls);
                _pending = buffer[^hold..];
                return;
            }

            Take(buffer[..at], content, calls);
            buffer = buffer[(at + marker!.Length)..];
            OnMarker(marker, content, calls);
        }
    }

    /// <summary>At the end of generation: held text, and a call the output cut short.</summary>
    public void Flush(StringBuilder content, List<ToolCallDelta> calls)
    {
        var rest = _pending;
        _pending = string.Empty;
        Take(rest, content, calls);
        if (_state == State.Hermes)
        {
            FinishHermes(content, calls, closed: false);
        }
        else if (_state == State.LegacyCall)
        {
            FinishLegacy(calls);
        }

        _state = State.Content;
    }

    private void Take(string text, StringBuilder content, List<ToolCallDelta> calls)
    {
        if (text.Length == 0)
        {
            return;
        }

        switch (_state)
        {
            case State.Content:
                content.Append(text);
                break;
            case State.Arguments:
                calls.Add(new ToolCallDelta(Count - 1, null, null, text));
                break;
            case State.Section:
                // Whitespace between calls is not content.
                break;
            default:
                _call.Append(text);
                break;
        }
    }

    private void OnMarker(string marker, StringBuilder content, List<ToolCallDelta> calls)
    {
        switch (marker)
        {
            case CallsBegin:
                _state = State.Section;
                break;
            case CallBegin:
                _call.Clear();
                _state = State.Name;
                break;
            case Separator:
                _name = _call.ToString().Trim();
                _call.Clear();
                if (_name == "function")
                {
                    _state = State.LegacyCall;
                }
                else
                {
                    calls.Add(new ToolCallDelta(Count++, NewId(Count - 1), _name, string.Empty));
                    _state = State.Arguments;
                }

                break;
            case CallEnd:
                if (_state == State.LegacyCall)
                {
                    FinishLegacy(calls);
                }

                _state = State.Section;
                break;
            case CallsEnd:
                _state = State.Content;
                break;
            case HermesOpen:
                _call.Clear();
                _state = State.Hermes;
                break;
            case HermesClose:
                FinishHermes(content, calls, closed: true);
                _state = State.Content;
                break;
        }
    }

    /// <summary>V3: <c>name\n```json\n{args}\n```</c> after <c>function&lt;｜tool▁sep｜&gt;</c>.</summary>
    private void FinishLegacy(List<ToolCallDelta> calls)
    {
        var body = _call.ToString();
        _call.Clear();
        var newline = body.IndexOf('\n', StringComparison.Ordinal);
        var name = (newline < 0 ? body : body[..newline]).Trim();
        var args = newline < 0 ? "{}" : body[(newline + 1)..].Trim();
        if (args.StartsWith("```json", StringComparison.Ordinal))
        {
            args = args["```json".Length..];
        }

        if (args.EndsWith("```", StringComparison.Ordinal))
        {
            args = args[..^3];
        }

        calls.Add(new ToolCallDelta(Count++, NewId(Count - 1), name, args.Trim()));
    }

    private void FinishHermes(StringBuilder content, List<ToolCallDelta> calls, bool closed)
    {
        var body = _call.ToString();
        _call.Clear();
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                var args = root.TryGetProperty("arguments", out var a)
                    ? (a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText())
                    : "{}";
                calls.Add(new ToolCallDelta(Count++, NewId(Count - 1), name.GetString(), string.Empty));
                calls.Add(new ToolCallDelta(Count - 1, null, null, args));
                return;
            }
        }
        catch (JsonException)
        {
            // Not a call after all: the text stays content.
        }

        content.Append(HermesOpen).Append(body).Append(closed ? HermesClose : string.Empty);
    }

    private static string NewId(int index)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> tail = stackalloc char[22];
        for (var i = 0; i < tail.Length; i++)
        {
            tail[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }

        return $"call_{index:00}_{tail}";
    }

    private static (int At, string? Marker) FirstMarker(string buffer, string[] markers)
    {
        var first = -1;
        string? found = null;
        foreach (var m in markers)
        {
            var at = buffer.IndexOf(m, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
                found = m;
            }
        }

        return (first, found);
    }

    private static int PartialMarkerSuffix(string buffer, string[] markers)
    {
        var best = 0;
        foreach (var m in markers)
        {
            for (var len = Math.Min(m.Length - 1, buffer.Length); len > best; len--)
            {
                if (buffer.AsSpan(buffer.Length - len).SequenceEqual(m.AsSpan(0, len)))
                {
                    best = len;
                    break;
                }
            }
        }

        return best;
    }
}
