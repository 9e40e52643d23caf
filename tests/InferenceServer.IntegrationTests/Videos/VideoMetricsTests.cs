using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>Video jobs in <c>/metrics</c> and <c>/models</c>: queue and slot gauges, outcomes, one histogram sample per denoising step.</summary>
public sealed class VideoMetricsTests : IAsyncLifetime
{
    private const string Model = "forge-video";
    private VideoServer _videos = null!;

    private HttpClient Client => _videos.Client;

    public async Task InitializeAsync() => _videos = await VideoServer.StartAsync();

    public async Task DisposeAsync() => await _videos.DisposeAsync();

    [Fact]
    public async Task GaugesFollowTheQueueAndEachStepAndOutcomeIsCounted()
    {
        var (_, running) = await Client.SendAsync(HttpMethod.Post, "v1/videos", string.Empty, new { model = Model, prompt = "a slow river", size = "256x256", seconds = "12", steps = 50 });
        var runningId = running.GetProperty("id").GetString()!;
        await Client.PollAsync(runningId, string.Empty, b => b.GetProperty("status").GetString() == "in_progress");
        var (_, waiting) = await Client.SendAsync(HttpMethod.Post, "v1/videos", string.Empty, new { model = Model, prompt = "a cat", size = "128x128", seconds = "1", steps = 2 });

        // One job runs per model, so while the first holds the slot the second waits in the queue.
        var during = await ScrapeAsync();
        Assert.Equal(1, during.Value("inferenceserver_video_jobs_running", ("model_name", Model)));
        Assert.Equal(1, during.Value("inferenceserver_video_jobs_queued", ("model_name", Model)));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(HttpMethod.Delete, $"v1/videos/{runningId}", string.Empty)).Response.StatusCode);
        Assert.Equal("completed", (await Client.FinishedAsync(waiting.GetProperty("id").GetString()!, string.Empty)).GetProperty("status").GetString());
        var steps = (await ScrapeAsync()).Value("inferenceserver_video_denoising_step_seconds_count", ("model_name", Model));

        var (_, timed) = await Client.SendAsync(HttpMethod.Post, "v1/videos", string.Empty, new { model = Model, prompt = "a dog", size = "128x128", seconds = "1", steps = 3 });
        Assert.Equal("completed", (await Client.FinishedAsync(timed.GetProperty("id").GetString()!, string.Empty)).GetProperty("status").GetString());
        var after = await ScrapeAsync();
        Assert.Equal("histogram", after.Types["inferenceserver_video_denoising_step_seconds"]);
        Assert.Equal(steps + 3, after.Value("inferenceserver_video_denoising_step_seconds_count", ("model_name", Model)));
        Assert.Equal(2, after.Value("inferenceserver_video_jobs_total", ("model_name", Model), ("outcome", "completed")));
        Assert.Equal(1, after.Value("inferenceserver_video_jobs_total", ("model_name", Model), ("outcome", "cancelled")));
        Assert.Equal(0, after.Value("inferenceserver_video_jobs_running", ("model_name", Model)));
        Assert.Equal(0, after.Value("inferenceserver_video_jobs_queued", ("model_name", Model)));
    }

    [Fact]
    public async Task ModelsListsTheVideoModelsWithTheirSizesAndInputs()
    {
        var models = (await Client.GetJsonAsync("v1/models")).GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        var t2v = models[Model];
        Assert.Equal(["video"], t2v.GetProperty("output_modalities").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["text"], t2v.GetProperty("input_modalities").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["256x256", "128x128", "320x192"], t2v.GetProperty("sizes").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(512, t2v.GetProperty("context_window").GetInt32());
        var i2v = await Client.GetJsonAsync("v1/models/forge-video-i2v");
        Assert.Equal(["text", "image"], i2v.GetProperty("input_modalities").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("CPUExecutionProvider", i2v.GetProperty("runtime").GetProperty("execution_provider").GetString());
    }

    private async Task<PrometheusText> ScrapeAsync() => PrometheusText.Parse(await Client.GetStringAsync("metrics"));
}
