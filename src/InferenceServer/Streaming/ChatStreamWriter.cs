using System.Text.Json;
using InferenceServer.Chat;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;

namespace InferenceServer.Streaming;

/// <summary>
/// Writes one chat completion as DeepSeek's SSE stream: a first chunk with the role (one per choice), reasoning deltas
/// then content deltas, a final chunk with <c>finish_reason</c> (one per choice, the last with the usage), an optional
/// usage-only chunk, then <c>data: [DONE]</c>.
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

    /// <summary>
    /// Streams the events of <paramref name="choices"/> choices, each chunk carrying its choice's index (choices
    /// interleave as they are generated); each choice ends with its own <c>finish_reason</c> chunk, and the last of
    /// them carries the usage of all. Returns that usage.
    /// </summary>
    public async Task<GenerationUsage?> WriteAsync(IAsyncEnumerable<ChoiceEvent> events, int choices, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        for (var i = 0; i < choices; i++)
        {
            await _sse.WriteAsync(Chunk(i, new ChunkDelta { Role = "assistant", Content = string.Empty }), cancellationToken);
        }

        GenerationUsage? total = null;
        var finished = 0;
        await foreach (var (index, e) in events.WithCancellation(cancellationToken))
        {
            switch (e)
            {
                case TextDelta d:
                    if (d.Reasoning.Length > 0)
                    {
                        await _sse.WriteAsync(Chunk(index, new ChunkDelta { ReasoningContent = d.Reasoning }), cancellationToken);
                    }

                    if (d.Content.Length > 0)
                    {
                        await _sse.WriteAsync(Chunk(index, new ChunkDelta { Content = d.Content }), cancellationToken);
                    }

                    break;
                case ToolCallDelta t:
                    var call = t.Id is null
                        ? new ToolCallDto { Index = t.Index, Function = new FunctionCallDto { Arguments = t.Arguments } }
                        : new ToolCallDto { Index = t.Index, Id = t.Id, Type = "function", Function = new FunctionCallDto { Name = t.Name, Arguments = t.Arguments } };
                    await _sse.WriteAsync(Chunk(index, new ChunkDelta { ToolCalls = [call] }), cancellationToken);
                    break;
                case TokenLogprobs l:
                    // Each token's logprobs ride on a chunk of their own, before the text the token completes.
                    List<LogprobDto> one = [LogprobMapper.ToDto(_chat.Served.Model.Tokenizer, l)];
                    var logprobs = l.Reasoning ? new ChoiceLogprobs { ReasoningContent = one } : new ChoiceLogprobs { Content = one };
                    await _sse.WriteAsync(Chunk(index, new ChunkDelta(), logprobs: logprobs), cancellationToken);
                    break;
                case GenerationFinished f:
                    total = ChoiceUsage.Add(total, f.Usage);
                    var usage = ++finished == choices ? ChatWire.Usage(total) : null;
                    await _sse.WriteAsync(Chunk(index, new ChunkDelta { Content = string.Empty }, ChatWire.FinishReason(f.Reason), usage), cancellationToken);
                    if (usage is not null && _chat.IncludeUsage)
                    {
                        await _sse.WriteAsync(new ChatCompletionChunk { Id = _id, Created = _created, Model = _chat.Served.Name, SystemFingerprint = _fingerprint, Choices = [], Usage = usage }, cancellationToken);
                    }

                    break;
            }
        }

        await _sse.WriteDoneAsync(cancellationToken);
        return total;
    }

    /// <summary>An error after the stream started (the status is already 200): one <c>data:</c> event with the envelope.</summary>
    public Task WriteErrorAsync(object envelope, CancellationToken cancellationToken) => _sse.WriteAsync(envelope, cancellationToken);

    private ChatCompletionChunk Chunk(int index, ChunkDelta delta, string? finish = null, UsageDto? usage = null, ChoiceLogprobs? logprobs = null) => new()
    {
        Id = _id,
        Created = _created,
        Model = _chat.Served.Name,
        SystemFingerprint = _fingerprint,
        Choices = [new ChunkChoice { Index = index, Delta = delta, FinishReason = finish, Logprobs = logprobs }],
        Usage = usage,
    };
}
