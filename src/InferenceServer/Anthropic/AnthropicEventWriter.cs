using System.Text.Json;

namespace InferenceServer.Anthropic;

/// <summary>Anthropic's SSE framing: <c>event: name</c> then <c>data: {...}</c> per event, flushed at once.</summary>
internal sealed class AnthropicEventWriter
{
    private readonly HttpResponse _response;
    private readonly JsonSerializerOptions _options;

    public AnthropicEventWriter(HttpResponse response, JsonSerializerOptions options)
    {
        _response = response;
        _options = options;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _response.StatusCode = StatusCodes.Status200OK;
        _response.ContentType = "text/event-stream; charset=utf-8";
        _response.Headers.CacheControl = "no-cache";
        _response.Headers["X-Accel-Buffering"] = "no";
        return _response.StartAsync(cancellationToken);
    }

    /// <summary>Writes one event; <paramref name="payload"/> must carry a <c>type</c> equal to <paramref name="name"/>.</summary>
    public async Task WriteAsync(string name, object payload, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(payload, _options);
        await _response.WriteAsync($"event: {name}\ndata: {json}\n\n", cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
    }
}
