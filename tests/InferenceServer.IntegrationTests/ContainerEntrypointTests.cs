using System.Diagnostics;
using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// The root Dockerfile's ENTRYPOINT, ENV and HEALTHCHECK run as the image would run them (read-only app folder,
/// non-root, models from a mounted path): the image serves, answers its health check, and stops cleanly on SIGTERM.
/// </summary>
public sealed class ContainerEntrypointTests
{
    private static readonly Dockerfile Image = Dockerfile.Load(Repository.File("Dockerfile"));

    [Fact]
    public async Task DockerRunWithNoModelServesTheDemoAndPassesItsHealthCheck()
    {
        using var sandbox = new ContainerSandbox(Image);
        await using var server = await ServerProcess.StartAsync(sandbox.Command(Image.Entrypoint));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/ready")).StatusCode);
        var (response, body) = await client.PostJsonAsync("v1/chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 1 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());

        Assert.True(Directory.Exists(Path.Combine(sandbox.Root, "tmp", "inferenceserver-models")), "the demo goes to the image's Server__ModelCacheDirectory");

        Assert.Equal(0, await RunAsync(sandbox.Command(Image.HealthCheck)));
        await server.TerminateAsync();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, await RunAsync(sandbox.Command(Image.HealthCheck)));
    }

    [Fact]
    public async Task DockerRunWithAMountedModelServesIt()
    {
        using var sandbox = new ContainerSandbox(Image);
        sandbox.Mount(DemoModels.EnsureRandom(TestServer.ModelCache), "/models/m");
        var env = new Dictionary<string, string>
        {
            ["Models__0__Id"] = "m",
            ["Models__0__Path"] = "/models/m",
            ["Models__0__Thinking"] = "none",
        };
        await using var server = await ServerProcess.StartAsync(sandbox.Command(Image.Entrypoint, env));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var models = await (await client.GetAsync("models")).ReadJsonAsync();
        Assert.Equal("m", models.GetProperty("data")[0].GetProperty("id").GetString());
        var (response, _) = await client.PostJsonAsync("chat/completions",
            new { model = "m", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<int> RunAsync(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        using var process = Process.Start(info)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
