using InferenceServer.Hosting;

namespace InferenceServer;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [HealthCheckCommand.Flag, ..])
        {
            return await HealthCheckCommand.RunAsync(args);
        }

        try
        {
            await using var app = ServerApp.Build(args);
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or Engine.Models.ModelLoadException or Engine.Runtime.ProviderUnavailableException)
        {
            await Console.Error.WriteLineAsync($"InferenceServer cannot start: {e.Message}");
            return 1;
        }
    }
}
