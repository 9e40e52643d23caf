using System.Buffers;
using System.Text.Json;

namespace InferenceServer.Streaming;

/// <summary>Server-sent events on a response: one <c>data:</c> line per event, flushed at once, never buffered.</summary>
internal sealed class SseWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();
    private readonly HttpResponse _response;
    private readonly JsonSerializerOptions _options;

    public SseWriter(HttpResponse response, JsonSerializerOptions options)
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

    public async Task WriteAsync<T>(T payload, CancellationToken cancellationToken)
    {
        var body = _response.BodyWriter;
        body.Write(DataPrefix);
        // The writer's own options decide the escaping (not the serializer's): take the encoder from the options.
        await using (var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = _options.Encoder }))
        {
            JsonSerializer.Serialize(json, payload, _options);
        }

        body.Write(EventEnd);
        await body.FlushAsync(cancellationToken);
    }

    /// <summary>A named event (<c>event: name</c> then <c>data: {...}</c>), as Anthropic's stream uses.</summary>
    public async Task WriteEventAsync(string name, object payload, CancellationToken cancellationToken)
    {
        var body = _response.BodyWriter;
        body.Write("event: "u8);
        body.Write(System.Text.Encoding.UTF8.GetBytes(name));
        body.Write("\n"u8);
        await WriteAsync(payload, cancellationToken);
    }

    public async Task WriteDoneAsync(CancellationToken cancellationToken)
    {
        await _response.BodyWriter.WriteAsync(Done, cancellationToken);
    }

    public async Task WriteKeepAliveAsync(CancellationToken cancellationToken)
    {
        await _response.BodyWriter.WriteAsync(KeepAlive, cancellationToken);
    }
}
