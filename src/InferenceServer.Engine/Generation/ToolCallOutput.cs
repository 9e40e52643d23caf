using System.Text;
using System.Threading.Channels;

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

    public async ValueTask EmitAsync(ChannelWriter<GenerationEvent> writer, (string Reasoning, string Content) delta, CancellationToken cancellationToken)
    {
        _extractor.Push(delta.Content, _content, _calls);
        await WriteAsync(writer, delta.Reasoning, cancellationToken);
    }

    public async ValueTask FlushAsync(ChannelWriter<GenerationEvent> writer, CancellationToken cancellationToken)
    {
        _extractor.Flush(_content, _calls);
        await WriteAsync(writer, string.Empty, cancellationToken);
    }

    private async ValueTask WriteAsync(ChannelWriter<GenerationEvent> writer, string reasoning, CancellationToken cancellationToken)
    {
        if (reasoning.Length > 0 || _content.Length > 0)
        {
            await writer.WriteAsync(new TextDelta(reasoning, _content.ToString()), cancellationToken);
            _content.Clear();
        }

        foreach (var call in _calls)
        {
            await writer.WriteAsync(call, cancellationToken);
        }

        _calls.Clear();
    }
}
