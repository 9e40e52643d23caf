using System.Text;
using System.Text.Json;
using InferenceServer.Chat;
using InferenceServer.Completions;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Errors;
using InferenceServer.Hosting;
using InferenceServer.Streaming;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InferenceServer.Controllers;

/// <summary>Text completion and FIM (DeepSeek beta): <c>text_completion</c> objects, one body or server-sent events.</summary>
[ApiController]
[Produces("application/json")]
[Consumes("application/json")]
public sealed class CompletionsController : ControllerBase
{
    private readonly CompletionPreparer _preparer;
    private readonly JsonSerializerOptions _json;

    public CompletionsController(CompletionPreparer preparer, IOptions<JsonOptions> json)
    {
        _preparer = preparer;
        _json = json.Value.JsonSerializerOptions;
    }

    /// <summary>Continues <c>prompt</c>, or fills the hole between <c>prompt</c> and <c>suffix</c> (FIM).</summary>
    [HttpPost("beta/completions")]
    [HttpPost("v1/completions")]
    [HttpPost("completions")]
    [ProducesResponseType<CompletionResponse>(StatusCodes.Status200OK)]
    [ProducesEventStream(typeof(CompletionResponse))]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> CreateAsync([FromBody] CompletionRequest request, CancellationToken cancellationToken)
    {
        var c = _preparer.Prepare(request);
        HttpContext.Items["model"] = c.Served.Name;
        if (c.Stream)
        {
            await StreamAsync(c, cancellationToken);
            return new EmptyResult();
        }

        var text = new StringBuilder(c.Echo ?? string.Empty);
        var logprobs = c.Logprobs is null ? null : new CompletionLogprobsBuilder(c.Served.Model.Tokenizer, text.Length);
        GenerationFinished? finished = null;
        await foreach (var e in c.Served.Model.GenerateAsync(c.Generation, cancellationToken))
        {
            switch (e)
            {
                case TextDelta d:
                    text.Append(d.Reasoning).Append(d.Content);
                    break;
                case TokenLogprobs l:
                    logprobs?.Add(l);
                    break;
                case GenerationFinished f:
                    finished = f;
                    break;
            }
        }

        var done = finished ?? throw new InvalidOperationException("The generation ended without a finish event.");
        HttpContext.Items["usage"] = done.Usage;
        return Ok(new CompletionResponse
        {
            Id = ChatWire.NewId(),
            Created = ChatWire.Now(),
            Model = c.Served.Name,
            SystemFingerprint = ChatWire.Fingerprint(c.Served.Model),
            Choices = [new CompletionChoice { Text = text.ToString(), Index = 0, Logprobs = logprobs?.Build(), FinishReason = ChatWire.FinishReason(done.Reason) }],
            Usage = ChatWire.Usage(done.Usage),
        });
    }

    private async Task StreamAsync(PreparedCompletion c, CancellationToken cancellationToken)
    {
        var sse = new SseWriter(Response, _json);
        var id = ChatWire.NewId();
        var created = ChatWire.Now();
        var fingerprint = ChatWire.Fingerprint(c.Served.Model);
        CompletionResponse Chunk(string text, string? finish = null, UsageDto? usage = null, CompletionLogprobs? logprobs = null, bool noChoices = false) => new()
        {
            Id = id,
            Created = created,
            Model = c.Served.Name,
            SystemFingerprint = fingerprint,
            Choices = noChoices ? [] : [new CompletionChoice { Text = text, Index = 0, Logprobs = logprobs, FinishReason = finish }],
            Usage = usage,
        };

        await sse.StartAsync(cancellationToken);
        if (c.Echo is { Length: > 0 } echo)
        {
            await sse.WriteAsync(Chunk(echo), cancellationToken);
        }

        var logprobs = c.Logprobs is null ? null : new CompletionLogprobsBuilder(c.Served.Model.Tokenizer, c.Echo?.Length ?? 0);
        await foreach (var e in c.Served.Model.GenerateAsync(c.Generation, cancellationToken))
        {
            switch (e)
            {
                case TextDelta d when d.Reasoning.Length + d.Content.Length > 0:
                    await sse.WriteAsync(Chunk(d.Reasoning + d.Content), cancellationToken);
                    break;
                case TokenLogprobs l when logprobs is not null:
                    logprobs.Add(l);
                    await sse.WriteAsync(Chunk(string.Empty, logprobs: logprobs.Last()), cancellationToken);
                    break;
                case GenerationFinished f:
                    HttpContext.Items["usage"] = f.Usage;
                    var usage = ChatWire.Usage(f.Usage);
                    await sse.WriteAsync(Chunk(string.Empty, ChatWire.FinishReason(f.Reason), usage), cancellationToken);
                    if (c.IncludeUsage)
                    {
                        await sse.WriteAsync(Chunk(string.Empty, usage: usage, noChoices: true), cancellationToken);
                    }

                    break;
            }
        }

        await sse.WriteDoneAsync(cancellationToken);
    }
}
