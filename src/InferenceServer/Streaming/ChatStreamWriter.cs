using System.Text.Json;
using InferenceServer.Chat;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;

namespace InferenceServer.Streaming;

/// <summary>
/// Writes one chat completion as DeepSeek's SSE stream: a first chunk with the role, reasoning deltas then content
/// deltas, a final chunk with <c>finish_reason</c> and usage, an optional usage-only chunk, then <c>data: [DONE]</c>.
/// </summary>
internal sealed class ChatStreamWriter
{
    private readonly SseWriter _sse;
    private readonly PreparedChat _chat;
    private readonly string _id = ChatWire.NewId();
    private readonly long _created = ChatWire.Now();
    private readonly string _fingerprint;

    public ChatStreamWriter(HttpResponse response, JsonSerializerOptions json, PreparedChat chat)
    {
        _sse = new SseWriter(response, json);
        _chat = chat;
        _fingerprint = ChatWire.Fingerprint(chat.Served.Model);
    }

    public bool Started { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Started)
        {
            Started = true;
            await _sse.StartAsync(cancellationToken);
        }
    }

    public async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await _sse.WriteKeepAliveAsync(cancellationToken);
    }

    /// <summary>Streams the events; returns the usage of the finished generation.</summary>
    public async Task<GenerationUsage?> WriteAsync(IAsyncEnumerable<GenerationEvent> events, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await _sse.WriteAsync(Chunk(new ChunkDelta { Role = "assistant", Content = string.Empty }), cancellationToken);
        GenerationUsage? result = null;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            switch (e)
            {
                case TextDelta d:
                    if (d.Reasoning.Length > 0)
                    {
                        await _sse.WriteAsync(Chunk(new ChunkDelta { ReasoningContent = d.Reasoning }), cancellationToken);
                    }

                    if (d.Content.Length > 0)
                    {
                        await _sse.WriteAsync(Chunk(new ChunkDelta { Content = d.Content }), cancellationToken);
                    }

                    break;
                case ToolCallDelta t:
                    var call = t.Id is null
                        ? new ToolCallDto { Index = t.Index, Function = new FunctionCallDto { Arguments = t.Arguments } }
                        : new ToolCallDto { Index = t.Index, Id = t.Id, Type = "function", Function = new FunctionCallDto { Name = t.Name, Arguments = t.Arguments } };
                    await _sse.WriteAsync(Chunk(new ChunkDelta { ToolCalls = [call] }), cancellationToken);
                    break;
                case TokenLogprobs l:
                    // Each token's logprobs ride on a chunk of their own, before the text the token completes.
                    List<LogprobDto> one = [LogprobMapper.ToDto(_chat.Served.Model.Tokenizer, l)];
                    var logprobs = l.Reasoning ? new ChoiceLogprobs { ReasoningContent = one } : new ChoiceLogprobs { Content = one };
                    await _sse.WriteAsync(Chunk(new ChunkDelta(), logprobs: logprobs), cancellationToken);
                    break;
                case GenerationFinished f:
                    result = f.Usage;
                    var usage = ChatWire.Usage(f.Usage);
                    await _sse.WriteAsync(Chunk(new ChunkDelta { Content = string.Empty }, ChatWire.FinishReason(f.Reason), usage), cancellationToken);
                    if (_chat.IncludeUsage)
                    {
                        await _sse.WriteAsync(new ChatCompletionChunk { Id = _id, Created = _created, Model = _chat.Served.Name, SystemFingerprint = _fingerprint, Choices = [], Usage = usage }, cancellationToken);
                    }

                    break;
            }
        }

        await _sse.WriteDoneAsync(cancellationToken);
        return result;
    }

    /// <summary>An error after the stream started (the status is already 200): one <c>data:</c> event with the envelope.</summary>
    public Task WriteErrorAsync(object envelope, CancellationToken cancellationToken) => _sse.WriteAsync(envelope, cancellationToken);

    private ChatCompletionChunk Chunk(ChunkDelta delta, string? finish = null, UsageDto? usage = null, ChoiceLogprobs? logprobs = null) => new()
    {
        Id = _id,
        Created = _created,
        Model = _chat.Served.Name,
        SystemFingerprint = _fingerprint,
        Choices = [new ChunkChoice { Index = 0, Delta = delta, FinishReason = finish, Logprobs = logprobs }],
        Usage = usage,
    };
}
