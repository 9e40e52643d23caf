using InferenceServer.Hosting;

namespace InferenceServer;

public static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [HealthCheckCommand.Flag, ..])
        {
            return await HealthCheckCommand.RunAsync(args);
        }

        WebApplication? app = null;
        try
        {
            // StartAsync and WaitForShutdownAsync rather than RunAsync, which disposes the host before a failed start
            // reaches the catch below (that needs the logger).
            app = ServerApp.Build(args);
            await app.StartAsync();
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (Exception e) when (StartupFailure.Message(e) is { } message)
        {
            // The one sentence alone; the stack trace only for whoever turns the log to Debug.
            if (app?.Services.GetService<ILoggerFactory>() is { } logs)
            {
                LogStartFailed(logs.CreateLogger(typeof(Program)), e);
            }

            await Console.Error.WriteLineAsync($"InferenceServer cannot start: {message}");
            return 1;
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "The start failed")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}
