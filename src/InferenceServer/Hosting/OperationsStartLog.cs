using InferenceServer.Security;
using Microsoft.Extensions.Options;

namespace InferenceServer.Hosting;

/// <summary>Says at start how the API is guarded: open or keyed (a count, never a key), rate limits, CORS.</summary>
internal sealed partial class OperationsStartLog : IHostedService
{
    private readonly ApiKeyStore _keys;
    private readonly RateLimitOptions _rates;
    private readonly CorsSettings _cors;
    private readonly ILogger<OperationsStartLog> _logger;

    public OperationsStartLog(ApiKeyStore keys, IOptions<RateLimitOptions> rates, IOptions<CorsSettings> cors, ILogger<OperationsStartLog> logger)
    {
        _keys = keys;
        _rates = rates.Value;
        _cors = cors.Value;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_keys.Enabled)
        {
            LogKeyed(_logger, _keys.Count);
        }
        else
        {
            LogOpen(_logger);
        }

        LogLimits(_logger, _rates.RequestsPerWindow, _rates.Window, _rates.ConcurrentRequests,
            _cors.AllowedOrigins.Count > 0 ? string.Join(", ", _cors.AllowedOrigins) : "off");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "No API keys configured (Auth:Keys, Auth:KeysFile): the API is open to anyone who can reach this port")]
    private static partial void LogOpen(ILogger logger);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "API keys required: {KeyCount} keys configured")]
    private static partial void LogKeyed(ILogger logger, int keyCount);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information,
        Message = "Rate limits per key: {RequestsPerWindow} requests per {Window} (0 = off), {ConcurrentRequests} at once (0 = off); CORS: {CorsOrigins}")]
    private static partial void LogLimits(ILogger logger, int requestsPerWindow, TimeSpan window, int concurrentRequests, string corsOrigins);
}
