using InferenceServer.Chat;
using InferenceServer.Contracts.Anthropic;
using InferenceServer.Engine.Generation;

using InferenceServer.Streaming;

namespace InferenceServer.Anthropic;

/// <summary>
/// Writes a generation as Anthropic's event sequence: <c>message_start</c>, then per block <c>content_block_start</c>,
/// deltas (<c>thinking_delta</c>, <c>text_delta</c>, <c>input_json_delta</c>) and <c>content_block_stop</c>, then
/// <c>message_delta</c> (stop reason, usage) and <c>message_stop</c>.
/// </summary>
internal sealed class AnthropicStream
{
    private readonly SseWriter _writer;
    private readonly string _id;
    private readonly string _model;
    private int _index = -1;
    private string? _open;

    public AnthropicStream(SseWriter writer, string id, string model)
    {
        _writer = writer;
        _id = id;
        _model = model;
    }

    public async Task RunAsync(PreparedChat chat, Action<GenerationUsage> onUsage, CancellationToken cancellationToken)
    {
        await _writer.StartAsync(cancellationToken);
        var start = new AnthropicMessage { Id = _id, Model = _model, Content = [], Usage = new AnthropicUsage { InputTokens = chat.Generation.PromptTokens.Count, OutputTokens = 0 } };
        await _writer.WriteEventAsync("message_start", new { type = "message_start", message = start }, cancellationToken);
        await foreach (var e in chat.Served.Model.GenerateAsync(chat.Generation, cancellationToken))
        {
            switch (e)
            {
                case TextDelta d:
                    if (d.Reasoning.Length > 0 && chat.Thinking)
                    {
                        await OpenAsync("thinking", new { type = "thinking", thinking = string.Empty, signature = string.Empty }, cancellationToken);
                        await DeltaAsync(new { type = "thinking_delta", thinking = d.Reasoning }, cancellationToken);
                    }

                    if (d.Content.Length > 0)
                    {
                        await OpenAsync("text", new { type = "text", text = string.Empty }, cancellationToken);
                        await DeltaAsync(new { type = "text_delta", text = d.Content }, cancellationToken);
                    }

                    break;
                case ToolCallDelta t when t.Id is not null:
                    await OpenAsync("tool_use", new { type = "tool_use", id = t.Id, name = t.Name, input = new { } }, cancellationToken, force: true);
                    if (t.Arguments.Length > 0)
                    {
                        await DeltaAsync(new { type = "input_json_delta", partial_json = t.Arguments }, cancellationToken);
                    }

                    break;
                case ToolCallDelta t:
                    await DeltaAsync(new { type = "input_json_delta", partial_json = t.Arguments }, cancellationToken);
                    break;
                case GenerationFinished f:
                    onUsage(f.Usage);
                    await CloseAsync(cancellationToken);
                    await _writer.WriteEventAsync("message_delta", new
                    {
                        type = "message_delta",
                        delta = new { stop_reason = AnthropicWire.StopReason(f.Reason, f.StopString), stop_sequence = f.StopString },
                        usage = new { output_tokens = f.Usage.CompletionTokens },
                    }, cancellationToken);
                    await _writer.WriteEventAsync("message_stop", new { type = "message_stop" }, cancellationToken);
                    break;
            }
        }
    }

    private async Task OpenAsync(string kind, object block, CancellationToken cancellationToken, bool force = false)
    {
        if (_open == kind && !force)
        {
            return;
        }

        await CloseAsync(cancellationToken);
        _index++;
        _open = kind;
        await _writer.WriteEventAsync("content_block_start", new { type = "content_block_start", index = _index, content_block = block }, cancellationToken);
    }

    private Task DeltaAsync(object delta, CancellationToken cancellationToken) =>
        _writer.WriteEventAsync("content_block_delta", new { type = "content_block_delta", index = _index, delta }, cancellationToken);

    private async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_open is not null)
        {
            await _writer.WriteEventAsync("content_block_stop", new { type = "content_block_stop", index = _index }, cancellationToken);
            _open = null;
        }
    }
}
