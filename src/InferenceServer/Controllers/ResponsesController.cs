using System.Text.Json;
using InferenceServer.Chat;
using InferenceServer.Contracts.Responses;
using InferenceServer.Engine.Generation;
using InferenceServer.Errors;
using InferenceServer.Files;
using InferenceServer.Hosting;
using InferenceServer.Responses;
using InferenceServer.Security;
using InferenceServer.Streaming;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InferenceServer.Controllers;

/// <summary>
/// OpenAI's Responses API (for Codex, the Agents SDK and the SDKs' defaults), served by the same prepared generation
/// as chat. Stateless unless <c>store: true</c>; a stored response belongs to the API key that made it.
/// </summary>
[ApiController]
[Produces("application/json")]
public sealed class ResponsesController : ControllerBase
{
    private readonly ChatPreparer _preparer;
    private readonly int _maxImages;
    private readonly ResponseStore _store;
    private readonly FileReferences _files;
    private readonly Vision.ImageInput _images;
    private readonly JsonSerializerOptions _json;
    private readonly TimeSpan _keepAlive;

    public ResponsesController(ChatPreparer preparer, ResponseStore store, FileReferences files, Vision.ImageInput images, IOptions<Vision.VisionOptions> vision,
        IOptions<JsonOptions> json, IOptions<ServerOptions> server)
    {
        _maxImages = vision.Value.MaxImagesPerRequest;
        _preparer = preparer;
        _store = store;
        _files = files;
        _images = images;
        _json = json.Value.JsonSerializerOptions;
        _keepAlive = TimeSpan.FromSeconds(server.Value.KeepAliveIntervalSeconds);
    }

    private string Owner => HttpContext.Items[ApiKeyStore.ItemKey] as string ?? string.Empty;

    /// <summary>Creates a model response: one JSON body, or semantic server-sent events with <c>stream: true</c>.</summary>
    [HttpPost("responses")]
    [HttpPost("v1/responses")]
    [Consumes("application/json")]
    [ProducesResponseType<ResponseObject>(StatusCodes.Status200OK)]
    [ProducesEventStream(typeof(ResponseStreamEvent))]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> CreateAsync([FromBody] ResponseCreateRequest request, CancellationToken cancellationToken)
    {
        ResponsesRequestValidator.Validate(request);
        _files.CheckResponsesInput(request.Input, HttpContext);
        var images = await _images.ReadAsync(Vision.ResponsesImageParts.Collect(request.Input), HttpContext, cancellationToken);
        var previous = request.PreviousResponseId is { } previousId
            ? _store.Find(Owner, previousId) ?? throw NotFound(previousId, "previous_response_id")
            : null;
        var call = ResponsesRequestMapper.Map(request, previous?.Conversation);
        var seen = ConversationImages.Join(previous?.Images ?? [], images, _maxImages, out var earlier);
        var chat = _preparer.Prepare(call.Chat, beta: true, images: seen, earlier: earlier, cancellationToken: cancellationToken);
        HttpContext.Items["model"] = chat.Served.Name;
        var response = ResponsesWire.NewResponse(request, chat.Served.Name);
        using var handle = chat.Served.Model.Submit(chat.Generation, cancellationToken);
        IActionResult result;
        if (chat.Stream)
        {
            HttpContext.Items["usage"] = await new ResponsesStream(new SseWriter(Response, _json), response).RunAsync(handle, chat.Thinking, _keepAlive, cancellationToken);
            result = new EmptyResult();
        }
        else
        {
            result = await CompleteAsync(response, chat, handle, cancellationToken);
        }

        if (request.Store == true && response.Status != "failed")
        {
            _store.Save(Owner, response, [.. call.Conversation, ResponsesWire.AssistantTurn(response)], ConversationImages.ForStore(seen));
        }

        return result;
    }

    /// <summary>Reads a response made with <c>store: true</c> by the same API key.</summary>
    [HttpGet("responses/{id}")]
    [HttpGet("v1/responses/{id}")]
    [ProducesResponseType<ResponseObject>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public IActionResult Get(string id, CancellationToken cancellationToken) =>
        Ok((_store.Find(Owner, id) ?? throw NotFound(id, "response_id")).Response);

    /// <summary>Deletes a stored response.</summary>
    [HttpDelete("responses/{id}")]
    [HttpDelete("v1/responses/{id}")]
    [ProducesResponseType<ResponseDeleted>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public IActionResult Delete(string id, CancellationToken cancellationToken) =>
        _store.Delete(Owner, id) ? Ok(new ResponseDeleted(id, Deleted: true)) : throw NotFound(id, "response_id");

    private async Task<IActionResult> CompleteAsync(ResponseObject response, PreparedChat chat, SequenceHandle handle, CancellationToken cancellationToken)
    {
        var pinged = await KeepAlive.WaitAsync(handle.Started, _keepAlive, ct => KeepAlive.BlankLineAsync(Response, ct), cancellationToken);
        object body = response;
        try
        {
            var output = new ResponseOutput(response, chat.Thinking, _ => Task.CompletedTask);
            await foreach (var e in handle.ReadAllAsync(cancellationToken))
            {
                await output.AddAsync(e);
            }

            var done = output.Finished ?? throw new InvalidOperationException("The generation ended without a finish event.");
            HttpContext.Items["usage"] = done.Usage;
            ResponsesWire.Finish(response, done);
        }
        catch (QueueTimeoutException e) when (pinged)
        {
            ResponsesWire.Fail(response, ErrorEnvelopes.OverloadedType, e.Message);
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

    private static ApiException NotFound(string id, string param) =>
        new(StatusCodes.Status404NotFound, $"No stored response with id '{id}'. Responses are kept only with store: true, for the API key that made them.",
            "invalid_request_error", param, "not_found");
}
