using System.Text.Json;
using InferenceServer.Chat;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Errors;
using InferenceServer.Hosting;
using InferenceServer.Streaming;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InferenceServer.Controllers;

/// <summary>Chat completions, DeepSeek-shaped: one JSON body, or server-sent events with <c>stream: true</c>.</summary>
[ApiController]
[Produces("application/json")]
[Consumes("application/json")]
public sealed class ChatCompletionsController : ControllerBase
{
    private readonly ChatPreparer _preparer;
    private readonly JsonSerializerOptions _json;

    public ChatCompletionsController(ChatPreparer preparer, IOptions<JsonOptions> json)
    {
        _preparer = preparer;
        _json = json.Value.JsonSerializerOptions;
    }

    /// <summary>Creates a model response for the conversation.</summary>
    [HttpPost("chat/completions")]
    [HttpPost("v1/chat/completions")]
    [HttpPost("beta/chat/completions")]
    [ProducesResponseType<ChatCompletionResponse>(StatusCodes.Status200OK)]
    [ProducesEventStream(typeof(ChatCompletionChunk))]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> CreateAsync([FromBody] ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var chat = _preparer.Prepare(request, beta: Request.Path.StartsWithSegments("/beta"));
        HttpContext.Items["model"] = chat.Served.Name;
        if (chat.Stream)
        {
            await StreamAsync(chat, cancellationToken);
            return new EmptyResult();
        }

        var builder = new ChatResponseBuilder(chat.Served.Model.Tokenizer);
        await foreach (var e in chat.Served.Model.GenerateAsync(chat.Generation, cancellationToken))
        {
            builder.Add(e);
        }

        var done = builder.Finished ?? throw new InvalidOperationException("The generation ended without a finish event.");
        HttpContext.Items["usage"] = done.Usage;
        return Ok(new ChatCompletionResponse
        {
            Id = ChatWire.NewId(),
            Created = ChatWire.Now(),
            Model = chat.Served.Name,
            SystemFingerprint = ChatWire.Fingerprint(chat.Served.Model),
            Choices =
            [
                new ChatChoice
                {
                    Index = 0,
                    Message = builder.Message(chat.Thinking),
                    Logprobs = builder.Logprobs(chat.Logprobs),
                    FinishReason = ChatWire.FinishReason(done.Reason),
                },
            ],
            Usage = ChatWire.Usage(done.Usage),
        });
    }

    private async Task StreamAsync(PreparedChat chat, CancellationToken cancellationToken)
    {
        var sse = new SseWriter(Response, _json);
        var id = ChatWire.NewId();
        var created = ChatWire.Now();
        var fingerprint = ChatWire.Fingerprint(chat.Served.Model);
        ChatCompletionChunk Chunk(ChunkDelta delta, string? finish = null, UsageDto? usage = null, ChoiceLogprobs? logprobs = null) => new()
        {
            Id = id,
            Created = created,
            Model = chat.Served.Name,
            SystemFingerprint = fingerprint,
            Choices = [new ChunkChoice { Index = 0, Delta = delta, FinishReason = finish, Logprobs = logprobs }],
            Usage = usage,
        };

        await sse.StartAsync(cancellationToken);
        await sse.WriteAsync(Chunk(new ChunkDelta { Role = "assistant", Content = string.Empty }), cancellationToken);
        await foreach (var e in chat.Served.Model.GenerateAsync(chat.Generation, cancellationToken))
        {
            switch (e)
            {
                case TextDelta d:
                    if (d.Reasoning.Length > 0)
                    {
                        await sse.WriteAsync(Chunk(new ChunkDelta { ReasoningContent = d.Reasoning }), cancellationToken);
                    }

                    if (d.Content.Length > 0)
                    {
                        await sse.WriteAsync(Chunk(new ChunkDelta { Content = d.Content }), cancellationToken);
                    }

                    break;
                case ToolCallDelta t:
                    var call = t.Id is null
                        ? new ToolCallDto { Index = t.Index, Function = new FunctionCallDto { Arguments = t.Arguments } }
                        : new ToolCallDto { Index = t.Index, Id = t.Id, Type = "function", Function = new FunctionCallDto { Name = t.Name, Arguments = t.Arguments } };
                    await sse.WriteAsync(Chunk(new ChunkDelta { ToolCalls = [call] }), cancellationToken);
                    break;
                case TokenLogprobs l:
                    // Each token's logprobs ride on a chunk of their own, before the text the token completes.
                    List<LogprobDto> one = [LogprobMapper.ToDto(chat.Served.Model.Tokenizer, l)];
                    var logprobs = l.Reasoning ? new ChoiceLogprobs { ReasoningContent = one } : new ChoiceLogprobs { Content = one };
                    await sse.WriteAsync(Chunk(new ChunkDelta(), logprobs: logprobs), cancellationToken);
                    break;
                case GenerationFinished f:
                    HttpContext.Items["usage"] = f.Usage;
                    var usage = ChatWire.Usage(f.Usage);
                    await sse.WriteAsync(Chunk(new ChunkDelta { Content = string.Empty }, ChatWire.FinishReason(f.Reason), usage), cancellationToken);
                    if (chat.IncludeUsage)
                    {
                        await sse.WriteAsync(
                            new ChatCompletionChunk { Id = id, Created = created, Model = chat.Served.Name, SystemFingerprint = fingerprint, Choices = [], Usage = usage },
                            cancellationToken);
                    }

                    break;
            }
        }

        await sse.WriteDoneAsync(cancellationToken);
    }
}
