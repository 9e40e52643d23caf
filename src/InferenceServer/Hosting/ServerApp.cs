using System.Text.Json;
using System.Text.Json.Serialization;
using InferenceServer.Chat;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Errors;
using Microsoft.AspNetCore.Mvc;
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
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        ConfigureLogging(builder);
        ConfigureServices(builder.Services, builder.Configuration);
        var app = builder.Build();
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
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning);
            if (json)
            {
                logger.WriteTo.Console(new Serilog.Formatting.Compact.RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
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

        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ServerReadiness>();
        services.AddSingleton<ChatPreparer>();
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
        services.AddControllers(mvc =>
            {
                var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
                ConfigureJson(json);
                mvc.InputFormatters.Insert(0, new JsonBodyFormatter(json));
            })
            .AddApplicationPart(typeof(ServerApp).Assembly)
            .AddJsonOptions(o => ConfigureJson(o.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(o => o.InvalidModelStateResponseFactory = InvalidModelState);
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(OpenApiDocument.Configure);
    }

    internal static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }

    private static BadRequestObjectResult InvalidModelState(ActionContext context)
    {
        var first = context.ModelState.FirstOrDefault(e => e.Value?.Errors.Count > 0);
        var message = first.Value?.Errors[0].ErrorMessage is { Length: > 0 } m ? m : "The request body is missing or is not valid JSON.";
        return new BadRequestObjectResult(new ErrorEnvelope(new ErrorBody(message, "invalid_request_error", null, "invalid_request_error")));
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        // Outermost, so the request log sees the status the error handler finally wrote.
        app.UseSerilogRequestLogging(o => o.EnrichDiagnosticContext = RequestLogEnricher.Enrich);
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => ErrorWriter.WriteStatusAsync(context.HttpContext));
        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.{extension:regex(^(json|ya?ml)$)}");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "InferenceServer v1");
        });
        HealthEndpoints.Map(app);
        app.UseMiddleware<Account.TokenBudgetMiddleware>();
        app.MapControllers();
    }
}
