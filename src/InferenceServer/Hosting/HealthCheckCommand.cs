namespace InferenceServer.Hosting;

/// <summary>
/// <c>dotnet InferenceServer.dll --health-check [url]</c>: the container's HEALTHCHECK without curl (the ASP.NET image
/// has none). Asks <c>/health/ready</c> on the port the server listens on (<c>ASPNETCORE_HTTP_PORTS</c>, else 8080);
/// exit code 0 when ready, 1 otherwise.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Flag = "--health-check";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : $"http://127.0.0.1:{Port()}/health/ready";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            await Console.Out.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Out.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }

    private static string Port()
    {
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS");
        var first = ports?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(first) ? "8080" : first;
    }
}
