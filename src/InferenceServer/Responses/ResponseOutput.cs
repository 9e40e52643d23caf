using System.Text;
using InferenceServer.Contracts.Responses;
using InferenceServer.Engine.Generation;

namespace InferenceServer.Responses;

/// <summary>
/// Builds a response's output items from generation events: reasoning text opens a <c>reasoning</c> item, content
/// a <c>message</c> item, each tool call a <c>function_call</c> item; one item is open at a time. Every step is told
/// to <c>emit</c> as the stream's semantic event (a no-op for a plain JSON response), in the order the stream needs.
/// </summary>
internal sealed class ResponseOutput
{
    private readonly ResponseObject _response;
    private readonly bool _thinking;
    private readonly Func<ResponseStreamEvent, Task> _emit;
    private readonly StringBuilder _text = new();
    private readonly List<ResponseItemDto> _calls = [];
    private ResponseItemDto? _open;

    public ResponseOutput(ResponseObject response, bool thinking, Func<ResponseStreamEvent, Task> emit)
    {
        _response = response;
        _thinking = thinking;
        _emit = emit;
    }

    public GenerationFinished? Finished { get; private set; }

    public async Task AddAsync(GenerationEvent e)
    {
        switch (e)
        {
            case TextDelta d:
                if (d.Reasoning.Length > 0 && _thinking)
                {
                    await OpenTextAsync("reasoning", "reasoning_text");
                    await TextDeltaAsync("response.reasoning_text.delta", d.Reasoning);
                }

                if (d.Content.Length > 0)
                {
                    await OpenTextAsync("message", "output_text");
                    await TextDeltaAsync("response.output_text.delta", d.Content);
                }

                break;
            case ToolCallDelta t when t.Id is not null:
                await CloseAsync();
                var call = new ResponseItemDto { Type = "function_call", Id = ResponsesWire.NewId("fc"), CallId = t.Id, Name = t.Name ?? string.Empty, Arguments = string.Empty };
                _calls.Add(call);
                await OpenAsync(call);
                await ArgumentsDeltaAsync(call, t.Arguments);
                break;
            case ToolCallDelta t when t.Index < _calls.Count:
                await ArgumentsDeltaAsync(_calls[t.Index], t.Arguments);
                break;
            case GenerationFinished f:
                await CloseAsync(f.Reason is FinishReason.Length or FinishReason.Aborted or FinishReason.InsufficientSystemResource ? "incomplete" : "completed");
                Finished = f;
                break;
        }
    }

    private async Task OpenTextAsync(string type, string partType)
    {
        if (_open?.Type == type)
        {
            return;
        }

        await CloseAsync();
        var item = type == "message"
            ? new ResponseItemDto { Type = type, Id = ResponsesWire.NewId("msg"), Role = "assistant", Content = [] }
            : new ResponseItemDto { Type = type, Id = ResponsesWire.NewId("rs"), Summary = [], Content = [] };
        await OpenAsync(item);
        var part = new ResponseContentPartDto { Type = partType, Annotations = partType == "output_text" ? [] : null };
        await EmitAsync("response.content_part.added", item, part: part);
        item.Content!.Add(part);
    }

    private async Task OpenAsync(ResponseItemDto item)
    {
        await _emit(new ResponseStreamEvent { Type = "response.output_item.added", OutputIndex = _response.Output.Count, Item = item });
        _response.Output.Add(item);
        _open = item;
    }

    private Task TextDeltaAsync(string type, string delta)
    {
        _text.Append(delta);
        return EmitAsync(type, _open!, delta: delta);
    }

    private Task ArgumentsDeltaAsync(ResponseItemDto call, string delta)
    {
        if (delta.Length == 0)
        {
            return Task.CompletedTask;
        }

        call.Arguments += delta;
        return _emit(new ResponseStreamEvent { Type = "response.function_call_arguments.delta", ItemId = call.Id, OutputIndex = _response.Output.IndexOf(call), Delta = delta });
    }

    private async Task CloseAsync(string status = "completed")
    {
        if (_open is not { } item)
        {
            return;
        }

        _open = null;
        item.Status = status;
        var index = _response.Output.IndexOf(item);
        if (item.Type == "function_call")
        {
            await _emit(new ResponseStreamEvent { Type = "response.function_call_arguments.done", ItemId = item.Id, OutputIndex = index, Name = item.Name, Arguments = item.Arguments });
        }
        else
        {
            var part = item.Content![0];
            part.Text = _text.ToString();
            _text.Clear();
            await EmitAsync(item.Type == "message" ? "response.output_text.done" : "response.reasoning_text.done", item, text: part.Text);
            await EmitAsync("response.content_part.done", item, part: part);
        }

        await _emit(new ResponseStreamEvent { Type = "response.output_item.done", OutputIndex = index, Item = item });
    }

    private Task EmitAsync(string type, ResponseItemDto item, ResponseContentPartDto? part = null, string? delta = null, string? text = null) =>
        _emit(new ResponseStreamEvent
        {
            Type = type,
            ItemId = item.Id,
            OutputIndex = _response.Output.IndexOf(item),
            ContentIndex = 0,
            Part = part,
            Delta = delta,
            Text = text,
            Logprobs = type.StartsWith("response.output_text", StringComparison.Ordinal) ? [] : null,
        });
}
