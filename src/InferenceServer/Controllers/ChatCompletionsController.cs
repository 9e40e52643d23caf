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
    private readonly Vision.ImageInput _images;
    private readonly JsonSerializerOptions _json;
    private readonly TimeSpan _keepAlive;

    public ChatCompletionsController(ChatPreparer preparer, Vision.ImageInput images, IOptions<JsonOptions> json, IOptions<ServerOptions> server)
    {
        _preparer = preparer;
        _images = images;
        _json = json.Value.JsonSerializerOptions;
        _keepAlive = TimeSpan.FromSeconds(server.Value.KeepAliveIntervalSeconds);
    }

    /// <summary>Creates a model response for the conversation.</summary>
    [HttpPost("chat/completions")]
    [HttpPost("v1/chat/completions")]
    [HttpPost("beta/chat/completions")]
    [ProducesResponseType<ChatCompletionResponse>(StatusCodes.Status200OK)]
    [ProducesEventStream(typeof(ChatCompletionChunk))]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> CreateAsync([FromBody] ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        // Every image is read and checked first (its own error), then handed to the model, or refused by a text-only one.
        var images = await _images.ReadAsync(Vision.ChatImageParts.Collect(request.Messages), HttpContext, cancellationToken);
        var chat = _preparer.Prepare(request, beta: Request.Path.StartsWithSegments("/beta"), images: images, cancellationToken: cancellationToken);
        HttpContext.Items["model"] = chat.Served.Name;
        using var handle = chat.Served.Model.Submit(chat.Generation, chat.Choices, cancellationToken);
        return chat.Stream
            ? await StreamAsync(chat, handle, cancellationToken)
            : await CompleteAsync(chat, handle, cancellationToken);
    }

    private async Task<IActionResult> StreamAsync(PreparedChat chat, SequenceHandle handle, CancellationToken cancellationToken)
    {
        var writer = new ChatStreamWriter(Response, _json, chat);
        await KeepAlive.WaitAsync(handle.Started, _keepAlive, writer.KeepAliveAsync, cancellationToken);
        try
        {
            HttpContext.Items["usage"] = await writer.WriteAsync(handle.ReadChoicesAsync(cancellationToken), handle.Choices, cancellationToken);
        }
        catch (QueueTimeoutException e) when (writer.Started)
        {
            await writer.WriteErrorAsync(ErrorEnvelopes.Overloaded(e.Message), cancellationToken);
        }

        return new EmptyResult();
    }

    private async Task<IActionResult> CompleteAsync(PreparedChat chat, SequenceHandle handle, CancellationToken cancellationToken)
    {
        var pinged = await KeepAlive.WaitAsync(handle.Started, _keepAlive, ct => KeepAlive.BlankLineAsync(Response, ct), cancellationToken);
        object body;
        try
        {
            body = await CollectAsync(chat, handle, cancellationToken);
        }
        catch (QueueTimeoutException e) when (pinged)
        {
            body = ErrorEnvelopes.Overloaded(e.Message);
        }

        if (!pinged)
        {
            return Ok(body);
        }

        // The status line went out with the first keep-alive; the JSON body follows the blank lines.
        await JsonSerializer.SerializeAsync(Response.Body, body, body.GetType(), _json, cancellationToken);
        return new EmptyResult();
    }

    private async Task<ChatCompletionResponse> CollectAsync(PreparedChat chat, SequenceHandle handle, CancellationToken cancellationToken)
    {
        var builders = new ChatResponseBuilder[handle.Choices];
        for (var i = 0; i < builders.Length; i++)
        {
            builders[i] = new ChatResponseBuilder(chat.Served.Model.Tokenizer);
        }

        await foreach (var (index, e) in handle.ReadChoicesAsync(cancellationToken))
        {
            builders[index].Add(e);
        }

        GenerationUsage? usage = null;
        var choices = new List<ChatChoice>(builders.Length);
        for (var i = 0; i < builders.Length; i++)
        {
            var done = builders[i].Finished ?? throw new InvalidOperationException("The generation ended without a finish event.");
            usage = ChoiceUsage.Add(usage, done.Usage);
            choices.Add(new ChatChoice
            {
                Index = i,
                Message = builders[i].Message(chat.Thinking),
                Logprobs = builders[i].Logprobs(chat.Logprobs),
                FinishReason = ChatWire.FinishReason(done.Reason),
            });
        }

        HttpContext.Items["usage"] = usage;
        return new ChatCompletionResponse
        {
            Id = ChatWire.NewId(),
            Created = ChatWire.Now(),
            Model = chat.Served.Name,
            SystemFingerprint = ChatWire.Fingerprint(chat.Served.Model),
            Choices = choices,
            Usage = ChatWire.Usage(usage!),
        };
    }
}
