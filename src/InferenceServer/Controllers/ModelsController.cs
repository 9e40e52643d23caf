using InferenceServer.Contracts;
using InferenceServer.Engine.Embeddings;
using InferenceServer.Engine.Models;
using InferenceServer.Errors;
using InferenceServer.Images;
using InferenceServer.Videos;
using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Controllers;

/// <summary>The model names this server answers to, with context window, capabilities and where each runs.</summary>
[ApiController]
[Produces("application/json")]
public sealed class ModelsController : ControllerBase
{
    private readonly ModelRegistry _registry;
    private readonly EmbeddingModelRegistry _embeddings;
    private readonly ImageModels _images;
    private readonly VideoModels _videos;
    private readonly bool _videoInput;

    public ModelsController(ModelRegistry registry, EmbeddingModelRegistry embeddings, ImageModels images, VideoModels videos, Vision.VideoFrames frames)
    {
        _registry = registry;
        _embeddings = embeddings;
        _images = images;
        _videos = videos;
        _videoInput = frames.Available;
    }

    /// <summary>Lists the models.</summary>
    [HttpGet("models")]
    [HttpGet("v1/models")]
    [ProducesResponseType<ModelList>(StatusCodes.Status200OK)]
    public ModelList List() => new()
    {
        Data = [.. _registry.Served.Select(Card), .. _embeddings.Served.Select(s => EmbeddingCard(s.Name, s.Model)), .. _images.Served.Where(s => !_registry.TryResolve(s.Name, out _)).Select(s => ImageCard(s.Name, s.Model)),
            .. _videos.Served.Select(s => VideoCard(s.Name, s.Model))],
    };

    /// <summary>Describes one model.</summary>
    [HttpGet("models/{id}")]
    [HttpGet("v1/models/{id}")]
    [ProducesResponseType<ModelCard>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public ModelCard Get(string id) =>
        _registry.TryResolve(id, out var served) ? Card(served)
            : _embeddings.TryResolve(id, out var embedding) ? EmbeddingCard(id, embedding)
            : _images.TryResolve(id, out var image) ? ImageCard(id, image)
            : _videos.TryResolve(id, out var video) ? VideoCard(id, video)
            : throw new ApiException(StatusCodes.Status404NotFound, $"The model '{id}' does not exist.", "invalid_request_error", "model", "model_not_found");

    private ModelCard Card(ServedModel served) => Card(served, Drawing(served));

    /// <summary>The image side of a chat model that also draws (Janus-Pro), served under the same name; else null.</summary>
    private ServedImageModel? Drawing(ServedModel served) =>
        _images.TryResolve(served.Name, out var image) && image.Pipeline == served.Model.ImageGeneration ? image : null;

    private ModelCard Card(ServedModel served, ServedImageModel? drawing) => new()
    {
        Id = served.Name,
        Created = served.Model.LoadedAt.ToUnixTimeSeconds(),
        Root = served.Model.Id,
        ContextWindow = served.Model.ContextLength,
        MaxOutputTokens = served.Model.ContextLength,
        // A vision model reads a video part as its sampled frames, when FFmpeg is there to sample them.
        InputModalities = served.Model.Vision is null ? ["text"] : _videoInput ? ["text", "image", "video"] : ["text", "image"],
        // A chat model that also draws (Janus-Pro) is one card: text and image out.
        OutputModalities = drawing is null ? ["text"] : ["text", "image"],
        Sizes = drawing is null ? null : [.. drawing.Sizes.Select(s => s.ToString())],
        Capabilities = new ModelCapabilities
        {
            Thinking = served.CanThink,
            ThinkingByDefault = served.CanThink && served.ThinkingByDefault,
            Streaming = true,
            Tools = true,
            JsonOutput = true,
            Fim = Engine.Text.FimFormat.For(served.Model.Tokenizer) is not null,
        },
        Runtime = new ModelRuntimeInfo
        {
            Profile = served.Model.Plan.RequestedProfile,
            ExecutionProvider = served.Model.Plan.EffectiveProvider,
            Fallback = served.Model.Plan.FallbackReason,
        },
    };

    private static ModelCard EmbeddingCard(string name, EmbeddingModel model) => new()
    {
        Id = name,
        Created = model.LoadedAt.ToUnixTimeSeconds(),
        Root = model.Id,
        ContextWindow = model.MaxTokens,
        MaxOutputTokens = 0,
        InputModalities = ["text"],
        OutputModalities = ["embedding"],
        Dimensions = model.Dimensions,
        Capabilities = new ModelCapabilities { Thinking = false, ThinkingByDefault = false, Streaming = false, Tools = false, JsonOutput = false, Fim = false },
        Runtime = new ModelRuntimeInfo
        {
            Profile = model.Plan.RequestedProfile,
            ExecutionProvider = model.Plan.EffectiveProvider,
            Fallback = model.Plan.FallbackReason,
        },
    };

    private static ModelCard ImageCard(string name, ServedImageModel model) => new()
    {
        Id = name,
        Created = model.LoadedAt.ToUnixTimeSeconds(),
        Root = model.Id,
        ContextWindow = model.Pipeline.MaxPromptTokens,
        MaxOutputTokens = 0,
        InputModalities = model.Pipeline.SupportsImageInput ? ["text", "image"] : ["text"],
        OutputModalities = ["image"],
        Sizes = [.. model.Sizes.Select(s => s.ToString())],
        Capabilities = new ModelCapabilities { Thinking = false, ThinkingByDefault = false, Streaming = false, Tools = false, JsonOutput = false, Fim = false },
        Runtime = new ModelRuntimeInfo
        {
            Profile = model.Plan.RequestedProfile,
            ExecutionProvider = model.Plan.EffectiveProvider,
            Fallback = model.Plan.FallbackReason,
        },
    };

    /// <summary>A video model: prompts up to Wan's 512 tokens, an image too for I2V exports, video out at its sizes.</summary>
    private static ModelCard VideoCard(string name, ServedVideoModel model) => new()
    {
        Id = name,
        Created = model.LoadedAt.ToUnixTimeSeconds(),
        Root = model.Id,
        ContextWindow = Engine.Videos.VideoPipeline.MaxTextLength,
        MaxOutputTokens = 0,
        InputModalities = model.Pipeline.SupportsImageInput ? ["text", "image"] : ["text"],
        OutputModalities = ["video"],
        Sizes = [.. model.Options.SizesOrDefault],
        Capabilities = new ModelCapabilities { Thinking = false, ThinkingByDefault = false, Streaming = false, Tools = false, JsonOutput = false, Fim = false },
        Runtime = new ModelRuntimeInfo
        {
            Profile = model.Plan.RequestedProfile,
            ExecutionProvider = model.Plan.EffectiveProvider,
            Fallback = model.Plan.FallbackReason,
        },
    };
}
