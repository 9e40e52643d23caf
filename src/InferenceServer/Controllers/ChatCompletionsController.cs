using System.Text;
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
        var chat = _preparer.Prepare(request);
        HttpContext.Items["model"] = chat.Served.Name;
        if (chat.Stream)
        {
            await StreamAsync(chat, cancellationToken);
            return new EmptyResult();
        }

        var content = new StringBuilder();
        var reasoning = new StringBuilder();
        GenerationFinished? finished = null;
        await foreach (var e in chat.Served.Model.GenerateAsync(chat.Generation, cancellationToken))
        {
            switch (e)
            {
                case TextDelta d:
                    reasoning.Append(d.Reasoning);
                    content.Append(d.Content);
                    break;
                case GenerationFinished f:
                    finished = f;
                    break;
            }
        }

        var done = finished ?? throw new InvalidOperationException("The generation ended without a finish event.");
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
                    Message = new ResponseMessage { Content = content.ToString(), ReasoningContent = chat.Thinking ? reasoning.ToString() : null },
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
        ChatCompletionChunk Chunk(ChunkDelta delta, string? finish = null, UsageDto? usage = null) => new()
        {
            Id = id,
            Created = created,
            Model = chat.Served.Name,
            SystemFingerprint = fingerprint,
            Choices = [new ChunkChoice { Index = 0, Delta = delta, FinishReason = finish }],
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
