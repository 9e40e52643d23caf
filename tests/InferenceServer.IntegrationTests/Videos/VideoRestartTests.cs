using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>
/// Video jobs on disk across a restart: a completed video is served again, a queued job runs after the restart, and
/// the job the stop cut short is failed with the reason (never a stuck in_progress). Also: no FFmpeg, a clear 503.
/// </summary>
public sealed class VideoRestartTests : IDisposable
{
    private const string Key = "sk-video-restart-91b3";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "inferenceserver-videos-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task ARestartKeepsCompletedAndQueuedJobsAndFailsTheInterruptedOne()
    {
        var settings = new Dictionary<string, string?> { ["Auth:Keys:0"] = Key, ["Videos:Directory"] = _directory, ["Videos:JobsPerModel"] = "1" };
        string completed;
        string interrupted;
        string queued;
        byte[] mp4;
        await using (var server = await TestServer.StartAsync(settings))
        {
            var (_, small) = await server.Client.SendAsync(HttpMethod.Post, "v1/videos", Key, new { prompt = "a cat", size = "128x128", seconds = "1", steps = 1 });
            completed = small.GetProperty("id").GetString()!;
            await server.Client.FinishedAsync(completed, Key);
            mp4 = await server.Client.ContentAsync(completed, Key);

            var (_, large) = await server.Client.SendAsync(HttpMethod.Post, "v1/videos", Key, new { prompt = "a slow river", size = "256x256", seconds = "12", steps = 50 });
            interrupted = large.GetProperty("id").GetString()!;
            await server.Client.PollAsync(interrupted, Key, b => b.GetProperty("status").GetString() == "in_progress");
            var (_, waiting) = await server.Client.SendAsync(HttpMethod.Post, "v1/videos", Key, new { prompt = "a dog", size = "128x128", seconds = "1", steps = 1, seed = 3 });
            queued = waiting.GetProperty("id").GetString()!;
            Assert.Equal("queued", (await server.Client.SendAsync(HttpMethod.Get, $"v1/videos/{queued}", Key)).Body.GetProperty("status").GetString());
        }

        await using var restarted = await TestServer.StartAsync(settings);
        Assert.Equal(mp4, await restarted.Client.ContentAsync(completed, Key));
        var failed = (await restarted.Client.SendAsync(HttpMethod.Get, $"v1/videos/{interrupted}", Key)).Body;
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("server_restarted", failed.GetProperty("error").GetProperty("code").GetString());
        var ran = await restarted.Client.FinishedAsync(queued, Key);
        Assert.Equal("completed", ran.GetProperty("status").GetString());
    }

    [Fact]
    public async Task WithoutFfmpegAVideoRequestGets503NamingTheEncoder()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_directory, "no-ffmpeg")).FullName;
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0"] = Key,
            ["Videos:Directory"] = Path.Combine(_directory, "jobs"),
            ["Videos:FfmpegFolder"] = empty,
        });
        var (response, error) = await server.Client.SendAsync(HttpMethod.Post, "v1/videos", Key, new { prompt = "a cat" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("encoder_unavailable", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("FFmpeg", error.GetProperty("error").GetProperty("message").GetString());
    }
}
