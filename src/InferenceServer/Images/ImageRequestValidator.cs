using System.Security.Cryptography;
using InferenceServer.Engine.Images;
using InferenceServer.Errors;

namespace InferenceServer.Images;

/// <summary>Turns request fields into an <see cref="ImagePlan"/>, or a 400/422 envelope naming the field, before any work.</summary>
public sealed class ImageRequestValidator
{
    public const int MaxPromptLength = 32000;
    private static readonly string[] Qualities = ["auto", "low", "medium", "high", "standard", "hd"];
    private static readonly string[] Backgrounds = ["auto", "opaque", "transparent"];
    private static readonly string[] ResponseFormats = ["b64_json", "url"];
    private static readonly string[] Schedulers = ["euler", "euler_a", "ddim", "lcm"];
    private readonly ImageModels _models;

    public ImageRequestValidator(ImageModels models) => _models = models;

    public ImagePlan Plan(ImageFields f, bool promptRequired, float defaultStrength)
    {
        var prompt = f.Prompt ?? string.Empty;
        if (promptRequired && string.IsNullOrWhiteSpace(prompt))
        {
            throw new ApiException(StatusCodes.Status400BadRequest, "Missing required parameter: 'prompt'.", "invalid_request_error", "prompt", "missing_required_parameter");
        }

        Check(prompt.Length <= MaxPromptLength, "prompt", $"'prompt' is {prompt.Length} characters; the limit is {MaxPromptLength}.");
        if (!_models.TryResolve(f.Model, out var model))
        {
            throw string.IsNullOrEmpty(f.Model)
                ? new ApiException(StatusCodes.Status400BadRequest, "No image model is loaded.", "invalid_request_error", "model", "model_not_found")
                : ApiException.ModelNotFound(f.Model);
        }

        int n = f.N ?? 1;
        Check(n is >= 1 and <= 10, "n", $"'n' must be between 1 and 10, not {n}.");
        var size = Size(f.Size, model);
        var responseFormat = OneOf(f.ResponseFormat, "b64_json", ResponseFormats, "response_format");
        var outputFormat = OneOf(f.OutputFormat, "png", ImageEncoder.Formats, "output_format");
        int compression = f.OutputCompression ?? 100;
        Check(compression is >= 0 and <= 100, "output_compression", $"'output_compression' must be between 0 and 100, not {compression}.");
        var quality = OneOf(f.Quality, "auto", Qualities, "quality");
        var background = OneOf(f.Background, "auto", Backgrounds, "background");
        Check(background != "transparent", "background", "'background': 'transparent' is not supported: diffusion models paint every pixel. Use 'auto' or 'opaque'.");
        Check(f.Stream != true, "stream", "'stream': true (partial images) is not supported; leave it out or send false.");
        if (model.Pipeline.Autoregressive)
        {
            // A model that draws token by token has no denoising: these fields would be silently meaningless.
            Check(f.Steps is null, "steps", $"'steps' does not apply to '{model.Id}': it draws its image token by token, not by denoising. Leave it out.");
            Check(f.Scheduler is null, "scheduler", $"'scheduler' does not apply to '{model.Id}': it draws its image token by token, not by denoising. Leave it out.");
            Check(string.IsNullOrEmpty(f.NegativePrompt), "negative_prompt", $"'negative_prompt' is not supported by '{model.Id}': its guidance compares the prompt with an empty one.");
        }

        int steps = f.Steps ?? model.Options.DefaultSteps;
        Check(steps >= 1 && steps <= model.Options.MaxSteps, "steps", $"'steps' must be between 1 and {model.Options.MaxSteps}, not {steps}.");
        float guidance = f.GuidanceScale ?? model.Options.DefaultGuidanceScale;
        Check(guidance is >= 0 and <= 30 && float.IsFinite(guidance), "guidance_scale", $"'guidance_scale' must be between 0 and 30, not {guidance}.");
        float strength = f.Strength ?? defaultStrength;
        Check(strength is > 0 and <= 1, "strength", $"'strength' must be more than 0 and at most 1, not {strength}.");
        var scheduler = f.Scheduler is null ? (SchedulerKind?)null : OneOf(f.Scheduler, "euler", Schedulers, "scheduler") switch
        {
            "euler_a" => SchedulerKind.EulerAncestral,
            "ddim" => SchedulerKind.Ddim,
            "lcm" => SchedulerKind.Lcm,
            _ => SchedulerKind.Euler,
        };
        long seed = f.Seed ?? (RandomNumberGenerator.GetInt32(int.MaxValue) & 0x7fffffffL);
        return new ImagePlan(model, prompt, f.NegativePrompt ?? string.Empty, size, n, responseFormat == "url", outputFormat,
            compression, quality, seed, steps, guidance, scheduler, strength);
    }

    private static ImageSize Size(string? text, ServedImageModel model)
    {
        if (string.IsNullOrEmpty(text) || text == "auto")
        {
            return model.Sizes[0];
        }

        if (ImageSize.TryParse(text, out var size) && model.Sizes.Contains(size))
        {
            return size;
        }

        throw ApiException.InvalidParameter("size",
            $"'size' '{text}' is not supported by '{model.Id}'; use one of: auto, {string.Join(", ", model.Sizes)}.");
    }

    private static string OneOf(string? value, string fallback, IReadOnlyList<string> allowed, string param)
    {
        if (value is null)
        {
            return fallback;
        }

        Check(allowed.Contains(value, StringComparer.Ordinal), param, $"'{param}' must be one of: {string.Join(", ", allowed)}; not '{value}'.");
        return value;
    }

    private static void Check(bool ok, string param, string message)
    {
        if (!ok)
        {
            throw ApiException.InvalidParameter(param, message);
        }
    }
}
