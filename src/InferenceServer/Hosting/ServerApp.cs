using InferenceServer.Chat;
using InferenceServer.Embeddings;
using InferenceServer.Engine.Embeddings;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Errors;
using InferenceServer.Images;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serilog;

namespace InferenceServer.Hosting;

/// <summary>Builds the server: the same code path for <c>dotnet run</c>, the container and the integration tests.</summary>
public static class ServerApp
{
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        // Before anything touches ONNX Runtime: the managed package binds to its native library once per process.
        if (builder.Configuration["Runtime:NativeLibraryPath"] is { Length: > 0 } nativeLibrary)
        {
            OnnxRuntimeLibrary.Use(nativeLibrary);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        ConfigureLogging(builder);
        ConfigureServices(builder.Services, builder.Configuration);
        var app = builder.Build();

        // Before the first session: ONNX Runtime's own lines then go through Serilog rather than to stderr.
        OrtLogBridge.Install(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(OrtLogBridge.Category));
        ConfigurePipeline(app);
        return app;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        var json = string.Equals(builder.Configuration["Server:LogFormat"], "json", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)

                // The host logs a failed start as an error with the whole hosting stack; for a failure the user can
                // fix, Program prints the one sentence instead (and logs the stack at Debug).
                .Filter.ByExcluding(e => e.Level == Serilog.Events.LogEventLevel.Error && e.Exception is { } x && StartupFailure.Message(x) is not null
                    && e.Properties.TryGetValue("SourceContext", out var source) && source.ToString() == $"\"{StartupFailure.HostCategory}\"");
            if (json)
            {
                logger.WriteTo.Console(new Serilog.Formatting.Compact.RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }

            if (builder.Configuration["Server:LogFile"] is { Length: > 0 } file)
            {
                logger.WriteTo.File(new Serilog.Formatting.Compact.RenderedCompactJsonFormatter(), file, rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: 7, fileSizeLimitBytes: 100L * 1024 * 1024, rollOnFileSizeLimit: true);
            }
        });
    }

    private static void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServerOptions>().Bind(configuration.GetSection("Server")).ValidateOnStart();
        services.AddOptions<ExecutionProfileOptions>().Bind(configuration.GetSection("Runtime")).ValidateOnStart();
        services.AddOptions<ModelCatalogOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<OptionsValidators>();
        services.AddSingleton<IValidateOptions<ServerOptions>>(sp => sp.GetRequiredService<OptionsValidators>());
        services.AddSingleton<IValidateOptions<ExecutionProfileOptions>>(sp => sp.GetRequiredService<OptionsValidators>());
        services.AddSingleton<IValidateOptions<ModelCatalogOptions>>(sp => sp.GetRequiredService<OptionsValidators>());

        services.AddSingleton(_ =>
        {
            var registry = Prometheus.Metrics.NewCustomRegistry();
            Prometheus.DotNetStats.Register(registry);
            return registry;
        });
        services.AddOptions<Metrics.MetricsOptions>().Bind(configuration.GetSection("Metrics"));
        services.AddSingleton<Metrics.VllmExposition>();
        services.AddSingleton<IServingObserver, Metrics.PrometheusServingObserver>();
        services.AddSingleton<Metrics.WorkloadMetrics>();
        services.AddSingleton<Metrics.VideoMetrics>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ServerReadiness>();
        services.AddSingleton<ChatPreparer>();
        Responses.ResponsesServices.AddResponses(services, configuration);
        services.AddSingleton<EmbeddingModelRegistry>();
        services.AddSingleton<EmbeddingPreparer>();
        AddImages(services, configuration);
        AddFiles(services, configuration);
        AddVideos(services, configuration);
        services.AddSingleton<Completions.CompletionPreparer>();
        services.AddOptions<Account.BalanceOptions>().Bind(configuration.GetSection("Balance"))
            .Validate(o => o.Currency is "USD" or "CNY", "Balance:Currency must be USD or CNY.")
            .Validate(o => o.PricePerMillionTokens > 0, "Balance:PricePerMillionTokens must be greater than 0.")
            .Validate(o => o.TokenBudgets.Values.All(v => v >= 0), "Balance:TokenBudgets values must be token counts of 0 or more.")
            .ValidateOnStart();
        services.AddSingleton<Account.TokenLedger>();
        services.AddHostedService<ModelLoaderService>();

        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        // One JSON options instance for everything the server reads and writes (WireJson), MVC's formatters included.
        services.AddSingleton<IOptions<JsonOptions>>(Microsoft.Extensions.Options.Options.Create(WireJson.Mvc));
        services.AddControllers(mvc => mvc.InputFormatters.Insert(0, new JsonBodyFormatter(WireJson.Options)))
            .AddApplicationPart(typeof(ServerApp).Assembly)
            .ConfigureApiBehaviorOptions(o =>
            {
                o.InvalidModelStateResponseFactory = InvalidModelState;

                // Bare 4xx results (415 from [Consumes], 404, …) reach the status-code page, which writes the envelope,
                // instead of becoming ProblemDetails.
                o.SuppressMapClientErrors = true;
            });
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(OpenApiDocument.Configure);
        OperationsSetup.AddServices(services, configuration);
        Playground.PlaygroundOptionsSetup.Add(services);
    }

    private static void AddImages(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ImageOptions>().Bind(configuration.GetSection("Images")).ValidateOnStart();
        services.AddOptions<ImageModelCatalogOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<ImageOptionsValidator>();
        services.AddSingleton<IValidateOptions<ImageOptions>>(sp => sp.GetRequiredService<ImageOptionsValidator>());
        services.AddSingleton<IValidateOptions<ImageModelCatalogOptions>>(sp => sp.GetRequiredService<ImageOptionsValidator>());
        services.AddSingleton<ImageModels>();
        services.AddSingleton<ImageAdmission>();
        services.AddSingleton<ImageStore>();
        services.AddSingleton<ImageRequestValidator>();
        services.AddSingleton<ImageService>();
        services.AddHostedService<ImageModelLoaderService>();
    }

    private static void AddVideos(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Videos.VideoOptions>().Bind(configuration.GetSection("Videos"))
            .Validate(o => o.MaxQueuedJobs >= 1 && o.JobsPerModel >= 1, "Videos:MaxQueuedJobs and Videos:JobsPerModel must be 1 or more.")
            .Validate(o => o.LifetimeMinutes > 0, "Videos:LifetimeMinutes must be greater than 0.")
            .ValidateOnStart();
        services.AddOptions<Videos.VideoModelCatalogOptions>().Bind(configuration);
        services.AddSingleton<Videos.VideoModels>();
        services.AddSingleton<Videos.Ffmpeg>();
        services.AddSingleton<Videos.VideoEncoder>();
        services.AddSingleton<Videos.VideoJobStore>();
        services.AddSingleton<Videos.VideoRequestReader>();
        services.AddSingleton<Videos.VideoReferenceReader>();
        services.AddSingleton<Videos.VideoWorker>();
        services.AddHostedService<Videos.VideoModelLoaderService>();
        services.AddHostedService(sp => sp.GetRequiredService<Videos.VideoJobStore>());
        services.AddHostedService(sp => sp.GetRequiredService<Videos.VideoWorker>());
    }

    private static void AddFiles(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<Files.FilesOptions>().Bind(configuration.GetSection("Files")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Files.FilesOptions>, Files.FilesOptionsValidator>();
        services.AddSingleton<Files.FileStore>();
        services.AddHostedService(sp => sp.GetRequiredService<Files.FileStore>()); // loads and sweeps from the start
        services.AddSingleton<Files.FileReferences>();
        services.AddOptions<Vision.VisionOptions>().Bind(configuration.GetSection("Vision")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Vision.VisionOptions>, Vision.VisionOptionsValidator>();
        services.AddSingleton<Vision.ImageBytes>();
        services.AddSingleton<Vision.VideoDecodeGate>();
        services.AddSingleton<Vision.VideoFrames>();
        services.AddSingleton<Vision.ImageInput>();
    }

    private static BadRequestObjectResult InvalidModelState(ActionContext context)
    {
        var first = context.ModelState.FirstOrDefault(e => e.Value?.Errors.Count > 0);
        var message = first.Value?.Errors[0].ErrorMessage is { Length: > 0 } m ? m : "The request body is missing or is not valid JSON.";
        return new BadRequestObjectResult(ErrorWriter.Body(context.HttpContext.Request, StatusCodes.Status400BadRequest, message, "invalid_request_error", null, "invalid_request_error"));
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        // Outermost, so the request log sees the status the error handler finally wrote.
        app.UseSerilogRequestLogging(o =>
        {
            o.EnrichDiagnosticContext = RequestLogEnricher.Enrich;
            o.GetLevel = RequestLogLevel.Get;
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => ErrorWriter.WriteStatusAsync(context.HttpContext));
        OperationsSetup.UsePipeline(app);
        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.{extension:regex(^(json|ya?ml)$)}");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "InferenceServer v1");
        });
        HealthEndpoints.Map(app);
        Playground.PlaygroundEndpoints.Map(app);
        Metrics.MetricsEndpoint.Map(app);
        app.UseMiddleware<JsonContentTypeMiddleware>();
        app.UseMiddleware<Account.TokenBudgetMiddleware>();
        app.MapControllers();
    }
}
