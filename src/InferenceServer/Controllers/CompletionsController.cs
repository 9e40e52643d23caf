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

        var texts = new StringBuilder[c.Choices];
        var logprobs = new CompletionLogprobsBuilder?[c.Choices];
        var finished = new GenerationFinished?[c.Choices];
        for (var i = 0; i < c.Choices; i++)
        {
            texts[i] = new StringBuilder(c.Echo ?? string.Empty);
            logprobs[i] = c.Logprobs is null ? null : new CompletionLogprobsBuilder(c.Served.Model.Tokenizer, texts[i].Length);
        }

        using (var handle = c.Served.Model.Submit(c.Generation, c.Choices, cancellationToken))
        {
            await foreach (var (index, e) in handle.ReadChoicesAsync(cancellationToken))
            {
                switch (e)
                {
                    case TextDelta d:
                        texts[index].Append(d.Reasoning).Append(d.Content);
                        break;
                    case TokenLogprobs l:
                        logprobs[index]?.Add(l);
                        break;
                    case GenerationFinished f:
                        finished[index] = f;
                        break;
                }
            }
        }

        GenerationUsage? usage = null;
        var choices = new List<CompletionChoice>(c.Choices);
        for (var i = 0; i < c.Choices; i++)
        {
            var done = finished[i] ?? throw new InvalidOperationException("The generation ended without a finish event.");
            usage = ChoiceUsage.Add(usage, done.Usage);
            choices.Add(new CompletionChoice { Text = texts[i].ToString(), Index = i, Logprobs = logprobs[i]?.Build(), FinishReason = ChatWire.FinishReason(done.Reason) });
        }

        HttpContext.Items["usage"] = usage;
        return Ok(new CompletionResponse
        {
            Id = ChatWire.NewId(),
            Created = ChatWire.Now(),
            Model = c.Served.Name,
            SystemFingerprint = ChatWire.Fingerprint(c.Served.Model),
            Choices = choices,
            Usage = ChatWire.Usage(usage!),
        });
    }

    /// <summary>Each chunk carries one choice's text and index; each choice gets its own finish chunk, the last with the usage of all.</summary>
    private async Task StreamAsync(PreparedCompletion c, CancellationToken cancellationToken)
    {
        var sse = new SseWriter(Response, _json);
        var id = ChatWire.NewId();
        var created = ChatWire.Now();
        var fingerprint = ChatWire.Fingerprint(c.Served.Model);
        CompletionResponse Chunk(int index, string text, string? finish = null, UsageDto? usage = null, CompletionLogprobs? logprobs = null, bool noChoices = false) => new()
        {
            Id = id,
            Created = created,
            Model = c.Served.Name,
            SystemFingerprint = fingerprint,
            Choices = noChoices ? [] : [new CompletionChoice { Text = text, Index = index, Logprobs = logprobs, FinishReason = finish }],
            Usage = usage,
        };

        await sse.StartAsync(cancellationToken);
        var logprobs = new CompletionLogprobsBuilder?[c.Choices];
        for (var i = 0; i < c.Choices; i++)
        {
            if (c.Echo is { Length: > 0 } echo)
            {
                await sse.WriteAsync(Chunk(i, echo), cancellationToken);
            }

            logprobs[i] = c.Logprobs is null ? null : new CompletionLogprobsBuilder(c.Served.Model.Tokenizer, c.Echo?.Length ?? 0);
        }

        GenerationUsage? total = null;
        var finished = 0;
        using var handle = c.Served.Model.Submit(c.Generation, c.Choices, cancellationToken);
        await foreach (var (index, e) in handle.ReadChoicesAsync(cancellationToken))
        {
            switch (e)
            {
                case TextDelta d when d.Reasoning.Length + d.Content.Length > 0:
                    await sse.WriteAsync(Chunk(index, d.Reasoning + d.Content), cancellationToken);
                    break;
                case TokenLogprobs l when logprobs[index] is { } builder:
                    builder.Add(l);
                    await sse.WriteAsync(Chunk(index, string.Empty, logprobs: builder.Last()), cancellationToken);
                    break;
                case GenerationFinished f:
                    total = ChoiceUsage.Add(total, f.Usage);
                    HttpContext.Items["usage"] = total;
                    var usage = ++finished == c.Choices ? ChatWire.Usage(total) : null;
                    await sse.WriteAsync(Chunk(index, string.Empty, ChatWire.FinishReason(f.Reason), usage), cancellationToken);
                    if (usage is not null && c.IncludeUsage)
                    {
                        await sse.WriteAsync(Chunk(index, string.Empty, usage: usage, noChoices: true), cancellationToken);
                    }

                    break;
            }
        }

        await sse.WriteDoneAsync(cancellationToken);
    }
}
