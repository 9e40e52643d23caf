using InferenceServer.Engine.Models;
using Microsoft.Extensions.Options;

namespace InferenceServer.Hosting;

/// <summary>
/// On SIGTERM (host stop), before Kestrel stops: readiness goes 503 and new API requests are refused; running ones get
/// <see cref="ShutdownOptions.DrainTimeout"/> to finish; then every text model ends its generations with
/// <c>insufficient_system_resource</c>, so streams close with a final chunk and <c>[DONE]</c> instead of a cut connection.
/// The work happens in <see cref="StoppingAsync"/>, which the host runs before any hosted service's StopAsync — so
/// before Kestrel (registered last by WebApplication, stopped first) stops accepting connections.
/// </summary>
internal sealed partial class GracefulDrainService : IHostedLifecycleService
{
    private readonly ServerReadiness _readiness;
    private readonly InFlightRequests _inFlight;
    private readonly ModelRegistry _registry;
    private readonly ShutdownOptions _options;
    private readonly ILogger<GracefulDrainService> _logger;

    public GracefulDrainService(ServerReadiness readiness, InFlightRequests inFlight, ModelRegistry registry,
        IOptions<ShutdownOptions> options, ILogger<GracefulDrainService> logger)
    {
        _readiness = readiness;
        _inFlight = inFlight;
        _registry = registry;
        _options = options.Value;
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _readiness.MarkDraining();
        LogDraining(_logger, _inFlight.Count, _options.DrainTimeout.TotalSeconds);
        if (await _inFlight.WaitIdleAsync(_options.DrainTimeout, cancellationToken))
        {
            LogDrained(_logger);
            return;
        }

        LogAborting(_logger, _inFlight.Count);
        foreach (var model in _registry.Models)
        {
            model.AbortRunning();
        }

        if (await _inFlight.WaitIdleAsync(_options.AbortGrace, cancellationToken))
        {
            LogDrained(_logger);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information,
        Message = "Shutting down: readiness is now 503 and new requests are refused; waiting up to {DrainSeconds} s for {Running} running requests")]
    private static partial void LogDraining(ILogger logger, int running, double drainSeconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning,
        Message = "Drain deadline passed with {Running} requests running: ending their generations with insufficient_system_resource")]
    private static partial void LogAborting(ILogger logger, int running);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Drained: no request is running")]
    private static partial void LogDrained(ILogger logger);
}
