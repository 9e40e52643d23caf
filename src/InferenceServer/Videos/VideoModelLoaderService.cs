using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Videos;
using InferenceServer.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceServer.Videos;

/// <summary>
/// Loads the configured video models at start; with none configured, writes the ModelForge Wan-layout pipeline into the
/// cache folder and serves it as <c>forge-video</c>, with its I2V twin <c>forge-video-i2v</c> (moving textures, not pictures). Also says whether FFmpeg is there.
/// With <c>Videos:Enabled=false</c> it loads none.
/// </summary>
internal sealed partial class VideoModelLoaderService : IHostedService
{
    public const string ForgeModelId = "forge-video";

    public const string ForgeImageToVideoId = "forge-video-i2v";

    private readonly VideoModels _models;
    private readonly VideoModelCatalogOptions _catalog;
    private readonly bool _enabled;
    private readonly ExecutionProfileOptions _profile;
    private readonly ServerOptions _server;
    private readonly VideoEncoder _encoder;
    private readonly ILogger<VideoModelLoaderService> _logger;

    public VideoModelLoaderService(VideoModels models, IOptions<VideoModelCatalogOptions> catalog, IOptions<VideoOptions> options, IOptions<ExecutionProfileOptions> profile,
        IOptions<ServerOptions> server, VideoEncoder encoder, ILogger<VideoModelLoaderService> logger)
    {
        _models = models;
        _catalog = catalog.Value;
        _enabled = options.Value.Enabled;
        _profile = profile.Value;
        _server = server.Value;
        _encoder = encoder;
        _logger = logger;
    }

    /// <summary>The forge pipelines' serving defaults: few steps, small sizes, 8 frames per second.</summary>
    public static VideoModelOptions ForgeOptions(string folder, string id = ForgeModelId) => new()
    {
        Id = id,
        Path = folder,
        Sizes = ["256x256", "128x128", "320x192"],
        DefaultSteps = 4,
        MaxSteps = 50,
        DefaultGuidanceScale = 3f,
        DefaultFps = 8,
        DefaultSeconds = 2,
        MaxSeconds = 12,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            LogOff(_logger);
            return Task.CompletedTask;
        }

        if (_encoder.Missing is { } missing)
        {
            LogNoEncoder(_logger, missing);
        }

        var sessions = new SessionFactory(_profile);
        var configured = _catalog.VideoModels;
        if (configured.Count == 0)
        {
            var folder = ModelForge.VideoModels.EnsureForge(_server.ModelCacheDirectory);
            var i2v = ModelForge.VideoModels.EnsureForgeImageToVideo(_server.ModelCacheDirectory);
            LogForge(_logger, folder, i2v);
            configured = [ForgeOptions(folder), ForgeOptions(i2v, ForgeImageToVideoId)];
        }

        foreach (var options in configured)
        {
            var pipeline = VideoPipeline.Load(options.Path, sessions);
            _models.Add(new ServedVideoModel(options.Id, pipeline, options, DateTimeOffset.UtcNow, sessions.Plan));
            LogLoaded(_logger, options.Id, pipeline.Folder, sessions.Plan.EffectiveProvider, pipeline.Scheduler.ClassName, pipeline.Scheduler.Shift);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 563, Level = LogLevel.Information, Message = "Video generation is off (Videos:Enabled=false): no video model is loaded")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(EventId = 560, Level = LogLevel.Information,
        Message = "Loaded video model {ModelId} from {Folder} on {Provider}: scheduler {Scheduler}, flow shift {Shift}")]
    private static partial void LogLoaded(ILogger logger, string modelId, string folder, string provider, string scheduler, double shift);

    [LoggerMessage(EventId = 561, Level = LogLevel.Information,
        Message = "No video models configured: serving the ModelForge Wan-layout pipelines from {Folder} as forge-video and {ImageToVideoFolder} as forge-video-i2v (moving textures, not pictures)")]
    private static partial void LogForge(ILogger logger, string folder, string imageToVideoFolder);

    [LoggerMessage(EventId = 562, Level = LogLevel.Warning,
        Message = "Video generation is off: {Reason}")]
    private static partial void LogNoEncoder(ILogger logger, string reason);
}
