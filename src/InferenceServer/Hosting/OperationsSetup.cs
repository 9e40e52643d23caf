using InferenceServer.Engine.Generation;
using InferenceServer.Security;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace InferenceServer.Hosting;

/// <summary>
/// What an operator configures around the API: keys, rate limits, body and header limits, CORS, the server-side fetch
/// policy, graceful drain and OpenTelemetry. Kept in one place so <see cref="ServerApp"/> only calls in.
/// </summary>
internal static class OperationsSetup
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        Bind<ApiKeyOptions>(services, configuration, "Auth");
        Bind<RateLimitOptions>(services, configuration, "RateLimits");
        Bind<RequestLimitsOptions>(services, configuration, "Limits");
        Bind<CorsSettings>(services, configuration, "Cors");
        Bind<RemoteFetchOptions>(services, configuration, "RemoteFetch");
        Bind<ShutdownOptions>(services, configuration, "Shutdown");
        Bind<TelemetryOptions>(services, configuration, "Telemetry");

        services.AddSingleton<OperationsOptionsValidators>();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>>(sp => sp.GetRequiredService<OperationsOptionsValidators>());
        services.AddSingleton<IValidateOptions<RateLimitOptions>>(sp => sp.GetRequiredService<OperationsOptionsValidators>());
        services.AddSingleton<IValidateOptions<RequestLimitsOptions>>(sp => sp.GetRequiredService<OperationsOptionsValidators>());
        services.AddSingleton<IValidateOptions<ShutdownOptions>>(sp => sp.GetRequiredService<OperationsOptionsValidators>());
        services.AddSingleton<IValidateOptions<TelemetryOptions>>(sp => sp.GetRequiredService<OperationsOptionsValidators>());
        services.AddSingleton<IValidateOptions<RemoteFetchOptions>>(sp => sp.GetRequiredService<OperationsOptionsValidators>());

        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<RemoteFetchPolicy>();
        services.AddSingleton<InFlightRequests>();
        services.AddSingleton<LargeBodyMemory>();
        services.AddHostedService<LargeBodyMemoryTrimmer>();
        services.AddHostedService<OperationsStartLog>();
        services.AddHostedService<GracefulDrainService>();
        RateLimiting.Add(services);

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>((kestrel, limits) =>
        {
            var l = limits.Value;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = l.Largest;
            kestrel.Limits.MaxRequestHeadersTotalSize = l.MaxRequestHeadersTotalBytes;
            kestrel.Limits.RequestHeadersTimeout = l.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = l.KeepAliveTimeout;
        });
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.DrainTimeout + shutdown.Value.AbortGrace + TimeSpan.FromSeconds(5));

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsSettings>>((cors, settings) =>
        {
            var origins = settings.Value.AllowedOrigins;
            if (origins.Count > 0)
            {
                cors.AddPolicy(CorsSettings.PolicyName, p =>
                {
                    p = origins.Contains("*") ? p.AllowAnyOrigin() : p.WithOrigins([.. origins]);
                    p.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Retry-After");
                });
            }
        });

        AddTracing(services, configuration);
    }

    public static void UsePipeline(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<CorsSettings>>().Value.AllowedOrigins.Count > 0)
        {
            app.UseCors(CorsSettings.PolicyName);
        }

        app.UseMiddleware<DrainGateMiddleware>();
        app.UseMiddleware<RequestSizeLimitMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
    }

    private static void AddTracing(IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (string.IsNullOrEmpty(telemetry.OtlpEndpoint) && string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !OpenPaths.IsHealth(context.Request.Path))
                .AddSource(EngineActivities.SourceName)
                .AddOtlpExporter(o =>
                {
                    if (string.IsNullOrEmpty(telemetry.OtlpEndpoint))
                    {
                        return;
                    }

                    var http = string.Equals(telemetry.OtlpProtocol, "http/protobuf", StringComparison.OrdinalIgnoreCase);
                    o.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    var endpoint = new Uri(telemetry.OtlpEndpoint);
                    o.Endpoint = http && endpoint.AbsolutePath == "/" ? new Uri(endpoint, "v1/traces") : endpoint;
                }));
    }

    private static void Bind<T>(IServiceCollection services, IConfiguration configuration, string section)
        where T : class => services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
}
