using System.Diagnostics;
using InferenceServer.Images;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Diffusion;

namespace InferenceServer.IntegrationTests;

/// <summary>An image client that goes away stops its denoising loop and frees its admission slot.</summary>
public sealed class ImageCancellationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            // The benchmark's UNet: ten 512×512 images of 50 guided steps take minutes here, so the run is surely still going.
            ["ImageModels:0:Id"] = "slow",
            ["ImageModels:0:Path"] = DiffusionModels.EnsureForge(TestServer.ModelCache, ForgeDiffusionSpec.Bench),
            ["ImageModels:0:Sizes:0"] = "512x512",
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AClientThatLeavesStopsTheDenoisingLoop()
    {
        _server.Service<ImageModels>().TryResolve("slow", out var model);
        var admission = _server.Service<ImageAdmission>();
        using var leaving = new CancellationTokenSource();
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _server.BaseAddress };
        var request = client.PostAsync("v1/images/generations", Http.Json(new { prompt = "a lighthouse", n = 10, steps = 50, guidance_scale = 5 }), leaving.Token);

        await Until(() => model.Pipeline.StepsRun > 0);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Until(() => admission.Running == 0);

        var stopped = model.Pipeline.StepsRun;
        Assert.True(stopped < 10 * 50, $"ran {stopped} steps");
        var (next, _) = await _server.Client.PostJsonAsync("v1/images/generations", new { prompt = "a cat", steps = 1, guidance_scale = 0 });
        Assert.Equal(System.Net.HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(stopped + 1, model.Pipeline.StepsRun);
    }

    /// <summary>Waits for a condition the server reaches on its own (no event exposes it), failing after two minutes.</summary>
    private static async Task Until(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the condition did not hold within two minutes");
            await Task.Delay(10);
        }
    }
}
