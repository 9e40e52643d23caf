using System.Globalization;
using System.Text.Json;
using InferenceServer.Contracts.Videos;
using InferenceServer.Errors;
using InferenceServer.Hosting;

namespace InferenceServer.Videos;

/// <summary>
/// Turns <c>POST /v1/videos</c> (JSON or multipart) into a job: every field checked against the model's rules, each
/// refusal a 4xx naming the field; a missing encoder or a full queue is a 503 before anything is queued.
/// </summary>
public sealed class VideoRequestReader
{
    private readonly VideoModels _models;
    private readonly VideoEncoder _encoder;
    private readonly VideoJobStore _store;

    public VideoRequestReader(VideoModels models, VideoEncoder encoder, VideoJobStore store)
    {
        _models = models;
        _encoder = encoder;
        _store = store;
    }

    /// <summary>The request's fields, and the <c>input_reference</c> file when multipart carries one.</summary>
    public static async Task<(VideoCreateRequest Request, IFormFile? Reference)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            string? Field(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
            var file = form.Files.GetFile(VideoReferenceReader.Field);
            var text = Field(VideoReferenceReader.Field);
            return (new VideoCreateRequest
            {
                Model = Field("model"),
                Prompt = Field("prompt"),
                Seconds = Field("seconds"),
                Size = Field("size"),
                NegativePrompt = Field("negative_prompt"),
                Seed = Number<long>(Field("seed"), "seed"),
                Steps = Number<int>(Field("steps"), "steps"),
                GuidanceScale = Number<float>(Field("guidance_scale"), "guidance_scale"),
                Fps = Number<int>(Field("fps"), "fps"),
                InputReference = text is null ? null : JsonSerializer.SerializeToElement(text),
            }, file);
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<VideoCreateRequest>(request.Body, WireJson.Options, cancellationToken)
                ?? throw ApiException.InvalidFormat("The body must be a JSON object.");
            return (body, null);
        }
        catch (JsonException e)
        {
            throw ApiException.InvalidFormat($"The body is not a valid video request: {e.Message}", e.Path?.TrimStart('$', '.'));
        }
    }

    /// <summary>A new queued job for <paramref name="owner"/> from the request (not yet stored; its reference not yet read).</summary>
    public VideoJob Plan(VideoCreateRequest request, string owner, bool hasReference, string? remixedFrom = null)
    {
        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw ApiException.InvalidFormat("prompt is required: describe the video to generate.", "prompt");
        }

        if (!_models.TryResolve(request.Model, out var model))
        {
            throw string.IsNullOrEmpty(request.Model)
                ? new ApiException(StatusCodes.Status400BadRequest, "No video model is loaded.", "invalid_request_error", "model", "model_not_found")
                : ApiException.ModelNotFound(request.Model);
        }

        var o = model.Options;
        bool imageToVideo = model.Pipeline.SupportsImageInput;
        if (hasReference && !imageToVideo)
        {
            throw ApiException.InvalidFormat($"input_reference is for image-to-video; the model '{model.Id}' is a text-to-video export and takes none.", "input_reference");
        }

        if (!hasReference && imageToVideo)
        {
            throw ApiException.InvalidFormat($"input_reference is required: the model '{model.Id}' is an image-to-video export and starts from a picture.", "input_reference");
        }

        var size = request.Size ?? o.SizesOrDefault[0];
        var parts = size.Split('x');
        if (!o.SizesOrDefault.Contains(size) || parts.Length != 2)
        {
            throw ApiException.InvalidFormat($"Invalid size '{size}': the model '{model.Id}' makes {string.Join(", ", o.SizesOrDefault)}.", "size");
        }

        int seconds = o.DefaultSeconds;
        if (request.Seconds is not null && (!int.TryParse(request.Seconds, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds < 1 || seconds > o.MaxSeconds))
        {
            throw ApiException.InvalidFormat($"Invalid seconds '{request.Seconds}': a whole number of seconds from 1 to {o.MaxSeconds}, as a string (\"4\").", "seconds");
        }

        int fps = request.Fps ?? o.DefaultFps;
        Range(fps, 1, 60, "fps");
        int steps = request.Steps ?? o.DefaultSteps;
        Range(steps, 1, o.MaxSteps, "steps");
        float guidance = request.GuidanceScale ?? o.DefaultGuidanceScale;
        if (!float.IsFinite(guidance) || guidance < 0 || guidance > 30)
        {
            throw ApiException.InvalidParameter("guidance_scale", $"Invalid guidance_scale {guidance}: from 0 to 30.");
        }

        if (_encoder.Missing is { } missing)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, $"Video generation is unavailable: {missing}", ErrorEnvelopes.OverloadedType, null, "encoder_unavailable");
        }

        long createdMs = _store.NowMs;
        return new VideoJob
        {
            Id = VideoIds.New(),
            Owner = owner,
            Model = model.Id,
            Prompt = request.Prompt,
            NegativePrompt = request.NegativePrompt ?? string.Empty,
            Width = int.Parse(parts[0], CultureInfo.InvariantCulture),
            Height = int.Parse(parts[1], CultureInfo.InvariantCulture),
            Seconds = seconds,
            Fps = fps,
            Steps = steps,
            GuidanceScale = guidance,
            Seed = request.Seed ?? Random.Shared.NextInt64(),
            CreatedAt = createdMs / 1000,
            CreatedAtMs = createdMs,
            RemixedFrom = remixedFrom,
            HasReference = hasReference,
        };
    }

    private static void Range(int value, int min, int max, string param)
    {
        if (value < min || value > max)
        {
            throw ApiException.InvalidParameter(param, $"Invalid {param} {value}: from {min} to {max}.");
        }
    }

    private static T? Number<T>(string? text, string param)
        where T : struct, IParsable<T>
    {
        if (text is null)
        {
            return null;
        }

        return T.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : throw ApiException.InvalidParameter(param, $"Invalid {param} '{text}': a number.");
    }
}
