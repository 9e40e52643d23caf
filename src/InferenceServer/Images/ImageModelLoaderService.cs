using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;
using InferenceServer.Hosting;
using InferenceServer.ModelForge;
using Microsoft.Extensions.Options;

namespace InferenceServer.Images;

/// <summary>
/// Loads the configured image models at start; with none configured, writes the ModelForge diffusion pipeline into the
/// cache folder and serves it as <c>forge-diffusion</c> (textures, not pictures). A folder that cannot be loaded stops
/// the start with a message naming the file. With <c>Images:Enabled=false</c> it loads none.
/// </summary>
internal sealed partial class ImageModelLoaderService : IHostedService
{
    public const string ForgeModelId = "forge-diffusion";

    private readonly ImageModels _models;
    private readonly ImageModelCatalogOptions _catalog;
    private readonly bool _enabled;
    private readonly ExecutionProfileOptions _profile;
    private readonly ServerOptions _server;
    private readonly TimeProvider _time;
    private readonly ILogger<ImageModelLoaderService> _logger;

    public ImageModelLoaderService(ImageModels models, IOptions<ImageModelCatalogOptions> catalog, IOptions<ImageOptions> options,
        IOptions<ExecutionProfileOptions> profile, IOptions<ServerOptions> server, TimeProvider time, ILogger<ImageModelLoaderService> logger)
    {
        _models = models;
        _catalog = catalog.Value;
        _enabled = options.Value.Enabled;
        _profile = profile.Value;
        _server = server.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The forge pipeline's serving defaults: few steps, guidance on, small sizes.</summary>
    public static ImageModelOptions ForgeOptions(string folder) => new()
    {
        Id = ForgeModelId,
        Path = folder,
        DefaultSteps = 4,
        DefaultGuidanceScale = 3f,
        Sizes = ["256x256", "512x512", "128x128", "64x64"],
        MaxSteps = 50,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            LogOff(_logger);
            return Task.CompletedTask;
        }

        var sessions = new SessionFactory(_profile, _logger);
        var configured = _catalog.ImageModels;
        if (configured.Count == 0)
        {
            var folder = DiffusionModels.EnsureForge(_server.ModelCacheDirectory);
            LogForge(_logger, folder);
            configured = [ForgeOptions(folder)];
        }

        foreach (var options in configured)
        {
            var pipeline = DiffusionPipeline.Load(options.Path, sessions);
            var sizes = options.SizesOrDefault.Select(s => ImageSize.TryParse(s, out var size) ? size : default).ToList();
            _models.Add(new ServedImageModel(options.Id, pipeline, options, sizes, _time.GetUtcNow(), sessions.Plan), [options.Id, .. options.Aliases]);
            LogLoaded(_logger, options.Id, pipeline.Folder, sessions.Plan.EffectiveProvider, pipeline.Scheduler.ClassName,
                pipeline.TimestepType.ToString(), pipeline.SupportsImageInput);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Image generation is off (Images:Enabled=false): no image model is loaded")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(EventId = 500, Level = LogLevel.Information,
        Message = "Loaded image model {ModelId} from {Folder} on {Provider}: scheduler {Scheduler}, UNet timestep {TimestepType}, image input {ImageInput}")]
    private static partial void LogLoaded(ILogger logger, string modelId, string folder, string provider, string scheduler, string timestepType, bool imageInput);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information,
        Message = "No image models configured: serving the ModelForge diffusion pipeline from {Folder} as forge-diffusion (textures, not pictures)")]
    private static partial void LogForge(ILogger logger, string folder);
}
