using System.Text;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Chat;

/// <summary>Collects a non-streamed chat generation's events into the response message and logprobs.</summary>
internal sealed class ChatResponseBuilder
{
    private readonly BpeTokenizer _tokenizer;
    private readonly StringBuilder _content = new();
    private readonly StringBuilder _reasoning = new();
    private readonly List<(string Id, string Name, StringBuilder Arguments)> _calls = [];
    private List<LogprobDto>? _contentLogprobs;
    private List<LogprobDto>? _reasoningLogprobs;

    public ChatResponseBuilder(BpeTokenizer tokenizer) => _tokenizer = tokenizer;

    public GenerationFinished? Finished { get; private set; }

    public void Add(GenerationEvent e)
    {
        switch (e)
        {
            case TextDelta d:
                _reasoning.Append(d.Reasoning);
                _content.Append(d.Content);
                break;
            case ToolCallDelta t when t.Id is not null:
                _calls.Add((t.Id, t.Name ?? string.Empty, new StringBuilder(t.Arguments)));
                break;
            case ToolCallDelta t when t.Index < _calls.Count:
                _calls[t.Index].Arguments.Append(t.Arguments);
                break;
            case TokenLogprobs l:
                var list = l.Reasoning ? (_reasoningLogprobs ??= []) : (_contentLogprobs ??= []);
                list.Add(LogprobMapper.ToDto(_tokenizer, l));
                break;
            case GenerationFinished f:
                Finished = f;
                break;
        }
    }

    public ResponseMessage Message(bool thinking) => new()
    {
        Content = _content.ToString(),
        ReasoningContent = thinking ? _reasoning.ToString() : null,
        ToolCalls = _calls.Count == 0
            ? null
            : _calls.Select((c, i) => new ToolCallDto
            {
                Index = i,
                Id = c.Id,
                Type = "function",
                Function = new FunctionCallDto { Name = c.Name, Arguments = c.Arguments.ToString() },
            }).ToList(),
    };

    public ChoiceLogprobs? Logprobs(bool requested) =>
        requested ? new ChoiceLogprobs { Content = _contentLogprobs ?? [], ReasoningContent = _reasoningLogprobs } : null;
}
