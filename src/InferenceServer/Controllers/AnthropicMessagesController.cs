using System.Text.Json;
using InferenceServer.Anthropic;
using InferenceServer.Chat;
using InferenceServer.Contracts.Anthropic;
using InferenceServer.Engine.Models;
using InferenceServer.Errors;
using InferenceServer.Hosting;
using InferenceServer.Streaming;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InferenceServer.Controllers;

/// <summary>Anthropic's Messages API (for Claude Code and the Anthropic SDKs), served by the same models as chat.</summary>
[ApiController]
[Produces("application/json")]
[Consumes("application/json")]
public sealed class AnthropicMessagesController : ControllerBase
{
    private readonly ChatPreparer _preparer;
    private readonly ModelRegistry _registry;
    private readonly JsonSerializerOptions _json;
    private readonly Vision.ImageInput _images;

    public AnthropicMessagesController(ChatPreparer preparer, ModelRegistry registry, Vision.ImageInput images, IOptions<JsonOptions> json)
    {
        _images = images;
        _preparer = preparer;
        _registry = registry;
        _json = json.Value.JsonSerializerOptions;
    }

    /// <summary>Creates a message: one JSON body, or Anthropic's event stream with <c>stream: true</c>.</summary>
    [HttpPost("anthropic/v1/messages")]
    [HttpPost("v1/messages")]
    [ProducesResponseType<AnthropicMessage>(StatusCodes.Status200OK)]
    [ProducesEventStream(typeof(AnthropicMessage))]
    [ProducesResponseType<AnthropicErrorEnvelope>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> CreateAsync([FromBody] AnthropicRequest request, CancellationToken cancellationToken)
    {
        var images = await _images.ReadAsync(Vision.AnthropicImageBlocks.Collect(request.Messages), HttpContext, cancellationToken);
        var chat = _preparer.Prepare(AnthropicRequestMapper.Map(request, _registry), beta: true, clampMaxTokens: true, images, cancellationToken);
        HttpContext.Items["model"] = chat.Served.Name;
        var id = AnthropicWire.NewId();
        var model = request.Model ?? chat.Served.Name;
        if (chat.Stream)
        {
            await new AnthropicStream(new SseWriter(Response, _json), id, model).RunAsync(chat, usage => HttpContext.Items["usage"] = usage, cancellationToken);
            return new EmptyResult();
        }

        var builder = new ChatResponseBuilder(chat.Served.Model.Tokenizer);
        await foreach (var e in chat.Served.Model.GenerateAsync(chat.Generation, cancellationToken))
        {
            builder.Add(e);
        }

        var done = builder.Finished ?? throw new InvalidOperationException("The generation ended without a finish event.");
        HttpContext.Items["usage"] = done.Usage;
        return Ok(new AnthropicMessage
        {
            Id = id,
            Model = model,
            Content = AnthropicWire.Blocks(builder.Message(chat.Thinking)),
            StopReason = AnthropicWire.StopReason(done.Reason, done.StopString),
            StopSequence = done.StopString,
            Usage = new AnthropicUsage
            {
                InputTokens = done.Usage.PromptTokens,
                OutputTokens = done.Usage.CompletionTokens,
                CacheReadInputTokens = done.Usage.CachedPromptTokens,
            },
        });
    }
}
