using InferenceServer.Contracts.Responses;
using InferenceServer.Engine.Generation;
using InferenceServer.Streaming;

namespace InferenceServer.Responses;

/// <summary>
/// Writes a response as the Responses API's semantic events, each <c>event: type</c> + <c>data: {...}</c> with a
/// rising <c>sequence_number</c>: <c>response.created</c>, keep-alive comments while queued, <c>response.in_progress</c>,
/// the output items' events, then one of <c>response.completed</c> / <c>response.incomplete</c> / <c>response.failed</c>.
/// No <c>[DONE]</c>.
/// </summary>
internal sealed class ResponsesStream
{
    private readonly SseWriter _sse;
    private readonly ResponseObject _response;
    private int _sequence;

    public ResponsesStream(SseWriter sse, ResponseObject response)
    {
        _sse = sse;
        _response = response;
    }

    /// <summary>Streams the generation; returns its usage, or null when it failed before finishing.</summary>
    public async Task<GenerationUsage?> RunAsync(SequenceHandle handle, bool thinking, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        await _sse.StartAsync(cancellationToken);
        await WriteAsync(new ResponseStreamEvent { Type = "response.created", Response = _response }, cancellationToken);
        string final;
        var output = new ResponseOutput(_response, thinking, e => WriteAsync(e, cancellationToken));
        try
        {
            await KeepAlive.WaitAsync(handle.Started, keepAlive, _sse.WriteKeepAliveAsync, cancellationToken);
            await WriteAsync(new ResponseStreamEvent { Type = "response.in_progress", Response = _response }, cancellationToken);
            await foreach (var e in handle.ReadAllAsync(cancellationToken))
            {
                await output.AddAsync(e);
            }

            final = output.Finished is { } finished
                ? ResponsesWire.Finish(_response, finished)
                : ResponsesWire.Fail(_response, "server_error", "The generation ended without a finish event.");
        }
        catch (QueueTimeoutException e)
        {
            final = ResponsesWire.Fail(_response, "server_overloaded", e.Message);
        }

        await WriteAsync(new ResponseStreamEvent { Type = final, Response = _response }, cancellationToken);
        return output.Finished?.Usage;
    }

    private Task WriteAsync(ResponseStreamEvent e, CancellationToken cancellationToken)
    {
        e.SequenceNumber = _sequence++;
        return _sse.WriteEventAsync(e.Type, e, cancellationToken);
    }
}
