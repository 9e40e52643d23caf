using System.Globalization;
using InferenceServer.Contracts.Videos;
using InferenceServer.Errors;
using InferenceServer.Files;
using InferenceServer.Videos;
using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Controllers;

/// <summary>OpenAI's <c>/v1/videos</c> jobs on the configured text-to-video pipelines; jobs belong to the API key that made them.</summary>
[ApiController]
public sealed class VideosController : ControllerBase
{
    private readonly VideoRequestReader _reader;
    private readonly VideoJobStore _store;
    private readonly VideoWorker _worker;
    private readonly VideoReferenceReader _references;

    public VideosController(VideoRequestReader reader, VideoJobStore store, VideoWorker worker, VideoReferenceReader references)
    {
        _reader = reader;
        _references = references;
        _store = store;
        _worker = worker;
    }

    /// <summary>Creates a video job (JSON or multipart: <c>model</c>, <c>prompt</c>, <c>seconds</c>, <c>size</c>, <c>input_reference</c> for image-to-video, <c>negative_prompt</c>, <c>seed</c>, <c>steps</c>, <c>guidance_scale</c>, <c>fps</c>); answers at once with the queued job.</summary>
    [HttpPost("videos")]
    [HttpPost("v1/videos")]
    [Produces("application/json")]
    [ProducesResponseType<VideoObject>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<VideoObject> CreateAsync(CancellationToken cancellationToken)
    {
        var (request, file) = await VideoRequestReader.ReadAsync(Request, cancellationToken);
        var owner = FileOwner.Of(HttpContext);
        var job = _reader.Plan(request, owner, hasReference: file is not null || request.InputReference is not null);
        byte[]? reference = job.HasReference ? await _references.ReadAsync(request.InputReference, file, owner, cancellationToken) : null;
        return Queue(job, reference);
    }

    /// <summary>A new job with the original's settings and a new prompt.</summary>
    [HttpPost("videos/{video_id}/remix")]
    [HttpPost("v1/videos/{video_id}/remix")]
    [Consumes("application/json")]
    [Produces("application/json")]
    [ProducesResponseType<VideoObject>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable)]
    public VideoObject Remix([FromRoute(Name = "video_id")] string videoId, [FromBody] VideoRemixRequest request)
    {
        var original = Find(videoId);
        return Queue(_reader.Plan(new VideoCreateRequest
        {
            Model = original.Model,
            Prompt = request.Prompt,
            Seconds = original.Seconds.ToString(CultureInfo.InvariantCulture),
            Size = $"{original.Width}x{original.Height}",
            NegativePrompt = original.NegativePrompt,
            Seed = original.Seed,
            Steps = original.Steps,
            GuidanceScale = original.GuidanceScale,
            Fps = original.Fps,
        }, original.Owner, original.HasReference, original.Id), original.HasReference ? System.IO.File.ReadAllBytes(_store.PathOf(original.Id, "reference")) : null);
    }

    /// <summary>Lists this API key's video jobs (<c>order</c> desc by default), a page at a time.</summary>
    /// <param name="after">A video id: the page starts after it.</param>
    /// <param name="limit">Jobs per page, 1 to 100 (default 20).</param>
    /// <param name="order"><c>asc</c> or <c>desc</c> (default), by creation time.</param>
    [HttpGet("videos")]
    [HttpGet("v1/videos")]
    [Produces("application/json")]
    [ProducesResponseType<VideoList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    public VideoList List([FromQuery] string? after, [FromQuery] string? limit, [FromQuery] string? order)
    {
        var take = 20;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 100))
        {
            throw ApiException.InvalidParameter("limit", $"Invalid limit '{limit}': a whole number from 1 to 100.");
        }

        if (order is not (null or "asc" or "desc"))
        {
            throw ApiException.InvalidParameter("order", $"Invalid order '{order}': use 'asc' or 'desc'.");
        }

        var jobs = _store.List(FileOwner.Of(HttpContext), descending: order != "asc");
        var start = 0;
        if (after is not null)
        {
            var at = jobs.FindIndex(j => j.Id == after);
            start = at >= 0 ? at + 1 : throw NotFound(after, "after");
        }

        var page = jobs.Skip(start).Take(take).Select(Wire).ToList();
        return new VideoList { Data = page, FirstId = page.FirstOrDefault()?.Id, LastId = page.LastOrDefault()?.Id, HasMore = start + page.Count < jobs.Count };
    }

    /// <summary>One job: status, progress (0–100), and when it finished and expires, or why it failed.</summary>
    [HttpGet("videos/{video_id}")]
    [HttpGet("v1/videos/{video_id}")]
    [Produces("application/json")]
    [ProducesResponseType<VideoObject>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public VideoObject Get([FromRoute(Name = "video_id")] string videoId) => Wire(Find(videoId));

    /// <summary>A completed job's MP4 (<c>variant=video</c>, default), WebP thumbnail or JPEG spritesheet.</summary>
    [HttpGet("videos/{video_id}/content")]
    [HttpGet("v1/videos/{video_id}/content")]
    [ProducesResponseType(typeof(FileStreamResult), StatusCodes.Status200OK, "video/mp4", "image/webp", "image/jpeg")]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest, "application/json")]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound, "application/json")]
    public IActionResult Download([FromRoute(Name = "video_id")] string videoId, [FromQuery] string? variant)
    {
        var job = Find(videoId);
        variant ??= "video";
        var type = variant switch
        {
            "video" => "video/mp4",
            "thumbnail" => "image/webp",
            "spritesheet" => "image/jpeg",
            _ => throw ApiException.InvalidFormat($"Invalid variant '{variant}': use video, thumbnail or spritesheet.", "variant"),
        };
        if (job.Status != VideoStatus.Completed)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"Video {job.Id} is {job.Status}; its content is ready once it is completed.", "invalid_request_error", "video_id", "video_not_ready");
        }

        return PhysicalFile(_store.PathOf(job.Id, variant), type);
    }

    /// <summary>Deletes a job and its files; a queued or running job is cancelled within one denoising step.</summary>
    [HttpDelete("videos/{video_id}")]
    [HttpDelete("v1/videos/{video_id}")]
    [Produces("application/json")]
    [ProducesResponseType<VideoDeleted>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public VideoDeleted Delete([FromRoute(Name = "video_id")] string videoId)
    {
        var job = Find(videoId);
        _worker.Cancel(job.Id);
        _store.Remove(job.Owner, job.Id);
        return new VideoDeleted { Id = job.Id };
    }

    private VideoObject Queue(VideoJob job, byte[]? reference)
    {
        // The answer is the job as queued; the worker may start it before this returns.
        if (reference is not null)
        {
            System.IO.File.WriteAllBytes(_store.PathOf(job.Id, "reference"), reference);
        }

        _store.Add(job);
        var queued = Wire(job);
        if (!_worker.TryEnqueue(job))
        {
            _store.Remove(job.Owner, job.Id);
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, "The video queue is full; retry shortly.", ErrorEnvelopes.OverloadedType, null, ErrorEnvelopes.OverloadedType)
            {
                RetryAfterSeconds = 30,
            };
        }

        HttpContext.Items["model"] = job.Model;
        return queued;
    }

    private VideoJob Find(string id) => _store.Find(FileOwner.Of(HttpContext), id) ?? throw NotFound(id, "video_id");

    private static ApiException NotFound(string id, string param) =>
        new(StatusCodes.Status404NotFound, $"No video with id '{id}'.", "invalid_request_error", param, "video_not_found");

    private static VideoObject Wire(VideoJob job) => new()
    {
        Id = job.Id,
        Model = job.Model,
        Status = job.Status,
        Progress = job.Progress,
        CreatedAt = job.CreatedAt,
        CompletedAt = job.CompletedAt,
        ExpiresAt = job.ExpiresAt,
        Size = $"{job.Width}x{job.Height}",
        Seconds = job.Seconds.ToString(CultureInfo.InvariantCulture),
        Prompt = job.Prompt,
        RemixedFromVideoId = job.RemixedFrom,
        Error = job.ErrorCode is null ? null : new VideoError { Code = job.ErrorCode, Message = job.ErrorMessage ?? string.Empty },
    };
}
