using InferenceServer.Contracts;
using InferenceServer.Errors;
using InferenceServer.Images;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace InferenceServer.Controllers;

/// <summary>OpenAI's image endpoints on the configured diffusion pipelines, and the files behind <c>url</c> responses.</summary>
[ApiController]
[Produces("application/json")]
public sealed class ImagesController : ControllerBase
{
    private readonly ImageRequestValidator _validator;
    private readonly ImageService _service;
    private readonly ImageStore _store;
    private readonly ImageOptions _limits;

    public ImagesController(ImageRequestValidator validator, ImageService service, ImageStore store, IOptions<ImageOptions> limits)
    {
        _validator = validator;
        _service = service;
        _store = store;
        _limits = limits.Value;
    }

    /// <summary>Creates images from a prompt.</summary>
    [HttpPost("images/generations")]
    [HttpPost("v1/images/generations")]
    [Consumes("application/json")]
    [ProducesResponseType<ImagesResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ImagesResponse> GenerateAsync([FromBody] ImageGenerationRequestDto request, CancellationToken cancellationToken)
    {
        var plan = _validator.Plan(new ImageFields
        {
            Prompt = request.Prompt,
            Model = request.Model,
            N = request.N,
            Size = request.Size,
            ResponseFormat = request.ResponseFormat,
            OutputFormat = request.OutputFormat,
            OutputCompression = request.OutputCompression,
            Quality = request.Quality,
            Background = request.Background,
            Stream = request.Stream,
            Seed = request.Seed,
            NegativePrompt = request.NegativePrompt,
            Steps = request.Steps,
            GuidanceScale = request.GuidanceScale,
            Scheduler = request.Scheduler,
        }, promptRequired: true, defaultStrength: 1f);
        HttpContext.Items["model"] = plan.Model.Id;
        return await _service.RunAsync(plan, null, null, FileUrlBase(), cancellationToken);
    }

    /// <summary>Edits an image: inpainting where the mask is transparent, or image-to-image without a mask.</summary>
    [HttpPost("images/edits")]
    [HttpPost("v1/images/edits")]
    [Consumes("multipart/form-data")]
    [ProducesResponseType<ImagesResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ImagesResponse> EditAsync([FromForm] ImageEditForm form, CancellationToken cancellationToken)
    {
        var image = TheImage();
        var maskFile = Request.Form.Files.GetFile("mask");
        var plan = _validator.Plan(new ImageFields
        {
            Prompt = form.Prompt,
            Model = form.Model,
            N = form.N,
            Size = form.Size,
            ResponseFormat = form.ResponseFormat,
            OutputFormat = form.OutputFormat,
            OutputCompression = form.OutputCompression,
            Quality = form.Quality,
            Background = form.Background,
            Seed = form.Seed,
            NegativePrompt = form.NegativePrompt,
            Steps = form.Steps,
            GuidanceScale = form.GuidanceScale,
            Scheduler = form.Scheduler,
            Strength = form.Strength,
        }, promptRequired: true, defaultStrength: maskFile is null ? 0.75f : 1f);
        RequireImageInput(plan);
        HttpContext.Items["model"] = plan.Model.Id;
        using var bitmap = await DecodeAsync(image, "image", cancellationToken);
        var init = UploadedImageDecoder.ToRgb(bitmap, plan.Size);
        float[]? mask = null;
        if (maskFile is not null)
        {
            using var maskBitmap = await DecodeAsync(maskFile, "mask", cancellationToken);
            if (maskBitmap.Width != bitmap.Width || maskBitmap.Height != bitmap.Height)
            {
                throw ApiException.InvalidFormat(
                    $"The mask is {maskBitmap.Width}x{maskBitmap.Height} but the image is {bitmap.Width}x{bitmap.Height}; they must match.", "mask");
            }

            mask = UploadedImageDecoder.ToMask(maskBitmap, plan.Size);
        }

        return await _service.RunAsync(plan, init, mask, FileUrlBase(), cancellationToken);
    }

    /// <summary>Creates variations of an image (image-to-image with no prompt).</summary>
    [HttpPost("images/variations")]
    [HttpPost("v1/images/variations")]
    [Consumes("multipart/form-data")]
    [ProducesResponseType<ImagesResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ImagesResponse> VaryAsync([FromForm] ImageVariationForm form, CancellationToken cancellationToken)
    {
        var image = TheImage();
        var plan = _validator.Plan(new ImageFields
        {
            Model = form.Model,
            N = form.N,
            Size = form.Size,
            ResponseFormat = form.ResponseFormat,
            Seed = form.Seed,
            Steps = form.Steps,
            Strength = form.Strength,
        }, promptRequired: false, defaultStrength: 0.6f);
        RequireImageInput(plan);
        HttpContext.Items["model"] = plan.Model.Id;
        using var bitmap = await DecodeAsync(image, "image", cancellationToken);
        return await _service.RunAsync(plan, UploadedImageDecoder.ToRgb(bitmap, plan.Size), null, FileUrlBase(), cancellationToken);
    }

    /// <summary>An image returned as a URL; gone after its lifetime (60 minutes by default).</summary>
    [HttpGet("images/files/{name}")]
    [HttpGet("v1/images/files/{name}")]
    [Produces("image/png", "image/jpeg", "image/webp", "application/json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public IActionResult GetFile(string name) =>
        _store.TryGet(name, out var path, out var contentType)
            ? PhysicalFile(path, contentType)
            : throw new ApiException(StatusCodes.Status404NotFound, "No such image, or it has expired.", "invalid_request_error", "name", "not_found");

    /// <summary>Reads and decodes one upload within the byte and pixel limits; the field name goes into any error.</summary>
    private async Task<SKBitmap> DecodeAsync(IFormFile file, string field, CancellationToken cancellationToken) =>
        UploadedImageDecoder.Decode(await UploadedImageDecoder.ReadAsync(file, field, _limits, cancellationToken), field, _limits);

    /// <summary>
    /// The one input image, from <c>image</c> or <c>image[]</c>. A diffusion pipeline edits one image: several
    /// (gpt-image's reference images) are refused by name rather than all but one silently dropped.
    /// </summary>
    private IFormFile TheImage()
    {
        var files = Request.Form.Files.Where(f => f.Name is "image" or "image[]").ToList();
        return files.Count switch
        {
            1 => files[0],
            0 => throw new ApiException(StatusCodes.Status400BadRequest, "Missing required file: 'image' (or 'image[]').", "invalid_request_error", "image", "missing_required_parameter"),
            _ => throw ApiException.InvalidFormat($"Got {files.Count} input images; this server's image models edit one image per request.", "image"),
        };
    }

    private static void RequireImageInput(ImagePlan plan)
    {
        if (!plan.Model.Pipeline.SupportsImageInput)
        {
            throw ApiException.InvalidFormat($"The image model '{plan.Model.Id}' {plan.Model.Pipeline.NoImageInputReason}.", "image");
        }
    }

    private string FileUrlBase() => $"{Request.Scheme}://{Request.Host}/v1/images/files/";
}
