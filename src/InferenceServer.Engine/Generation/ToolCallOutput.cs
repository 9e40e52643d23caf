using System.Text;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// The tool-call stage of one sequence's output: answer text goes through <see cref="ToolCallExtractor"/>; what is
/// left is content, the rest becomes <see cref="ToolCallDelta"/> events. Also knows which special tokens are markers,
/// which the detokenizer would otherwise skip.
/// </summary>
internal sealed class ToolCallOutput
{
    private readonly IReadOnlySet<int> _markers;
    private readonly ToolCallExtractor _extractor = new();
    private readonly StringBuilder _content = new();
    private readonly List<ToolCallDelta> _calls = [];

    public ToolCallOutput(IReadOnlySet<int> markers) => _markers = markers;

    public int Count => _extractor.Count;

    public bool IsMarker(int token) => _markers.Contains(token);

    public void Emit((string Reasoning, string Content) delta, Action<GenerationEvent> emit)
    {
        _extractor.Push(delta.Content, _content, _calls);
        Write(delta.Reasoning, emit);
    }

    public void Flush(Action<GenerationEvent> emit)
    {
        _extractor.Flush(_content, _calls);
        Write(string.Empty, emit);
    }

    private void Write(string reasoning, Action<GenerationEvent> emit)
    {
        if (reasoning.Length > 0 || _content.Length > 0)
        {
            emit(new TextDelta(reasoning, _content.ToString()));
            _content.Clear();
        }

        foreach (var call in _calls)
        {
            emit(call);
        }

        _calls.Clear();
    }
}
