using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>
/// The bounds of the video queue and store: a full queue answers 503 with Retry-After, a list pages with
/// <c>after</c>, a finished video is gone at its <c>expires_at</c> (and its files at the next sweep), and a job that
/// fails at run time is <c>failed</c> with the reason while the next job still runs.
/// </summary>
public sealed class VideoLimitsTests
{
    private const string Key = "sk-video-limits-47c2";
    private static readonly object Long = new { prompt = "a slow river", size = "256x256", seconds = "12", steps = 50 };
    private static readonly object Short = new { prompt = "a cat", size = "128x128", seconds = "1", steps = 1 };

    [Fact]
    public async Task PastTheQueueBoundAJobGets503WithRetryAfterAndTheQueuedOnesStillRun()
    {
        await using var videos = await VideoServer.StartAsync(new() { ["Auth:Keys:0"] = Key, ["Videos:MaxQueuedJobs"] = "1" });
        var client = videos.Client;
        var running = (await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Long)).Body.GetProperty("id").GetString()!;
        await client.PollAsync(running, Key, b => b.GetProperty("status").GetString() == "in_progress");
        var (accepted, waiting) = await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Short);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        var (full, error) = await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Short);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.NotNull(full.Headers.RetryAfter?.Delta);
        Assert.Equal("server_overloaded", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("queue is full", error.GetProperty("error").GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Delete, $"v1/videos/{running}", Key)).Response.StatusCode);
        var queued = waiting.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await client.FinishedAsync(queued, Key)).GetProperty("status").GetString());
        var later = (await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Short)).Body.GetProperty("id").GetString()!;
        await client.FinishedAsync(later, Key);

        // Two jobs remain; a page of one, then the page after it.
        var first = (await client.SendAsync(HttpMethod.Get, "v1/videos?order=asc&limit=1", Key)).Body;
        Assert.Equal([queued], first.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var second = (await client.SendAsync(HttpMethod.Get, $"v1/videos?order=asc&limit=1&after={queued}", Key)).Body;
        Assert.Equal([later], second.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.False(second.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task JobsPerModelRunsThatManyJobsOfOneModelAtOnce()
    {
        await using var videos = await VideoServer.StartAsync(new() { ["Auth:Keys:0"] = Key, ["Videos:JobsPerModel"] = "2" });
        var client = videos.Client;
        var first = (await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Long)).Body.GetProperty("id").GetString()!;
        var second = (await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Long)).Body.GetProperty("id").GetString()!;
        await client.PollAsync(first, Key, b => b.GetProperty("status").GetString() == "in_progress");
        await client.PollAsync(second, Key, b => b.GetProperty("status").GetString() == "in_progress");
        var third = (await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Short)).Body.GetProperty("id").GetString()!;
        Assert.Equal("queued", (await client.SendAsync(HttpMethod.Get, $"v1/videos/{third}", Key)).Body.GetProperty("status").GetString());

        await client.SendAsync(HttpMethod.Delete, $"v1/videos/{first}", Key);
        await client.SendAsync(HttpMethod.Delete, $"v1/videos/{second}", Key);
        Assert.Equal("completed", (await client.FinishedAsync(third, Key)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AVideoIsGoneAtItsExpiryAndTheSweepDeletesItsFiles()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero));
        await using var videos = await VideoServer.StartAsync(new() { ["Videos:LifetimeMinutes"] = "60" }, services => services.AddSingleton<TimeProvider>(clock));
        var client = videos.Client;
        var id = (await client.SendAsync(HttpMethod.Post, "v1/videos", string.Empty, Short)).Body.GetProperty("id").GetString()!;
        var done = await client.FinishedAsync(id, string.Empty);
        Assert.Equal(clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), done.GetProperty("expires_at").GetInt64());

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotEmpty(await client.ContentAsync(id, string.Empty));

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"v1/videos/{id}", string.Empty)).Response.StatusCode);
        clock.Advance(TimeSpan.FromSeconds(31)); // past expires_at, before the next sweep
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"v1/videos/{id}", string.Empty)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"v1/videos/{id}/content", string.Empty)).Response.StatusCode);
        Assert.DoesNotContain(id, (await client.SendAsync(HttpMethod.Get, "v1/videos", string.Empty)).Body.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()));

        clock.Advance(TimeSpan.FromSeconds(30)); // the sweep runs every 30 s
        Assert.Empty(Directory.EnumerateFiles(videos.Directory, id + "*"));
    }

    [Fact]
    public async Task AJobWhoseVideoCannotBeWrittenFailsWithTheReasonAndTheNextJobRuns()
    {
        await using var videos = await VideoServer.StartAsync(new() { ["Auth:Keys:0"] = Key });
        var client = videos.Client;
        var id = (await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Long)).Body.GetProperty("id").GetString()!;
        await client.PollAsync(id, Key, b => b.GetProperty("status").GetString() == "in_progress");

        // A folder where the encoder writes its MP4: a real fault that FFmpeg meets at the end of the job.
        var blocker = Directory.CreateDirectory(Path.Combine(videos.Directory, id + ".mp4.tmp.mp4"));
        var failed = await client.FinishedAsync(id, Key);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("generation_failed", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith("The video could not be generated", failed.GetProperty("error").GetProperty("message").GetString());
        var (content, notReady) = await client.SendAsync(HttpMethod.Get, $"v1/videos/{id}/content", Key);
        Assert.Equal(HttpStatusCode.BadRequest, content.StatusCode);
        Assert.Equal("video_not_ready", notReady.GetProperty("error").GetProperty("code").GetString());
        blocker.Delete();

        var next = (await client.SendAsync(HttpMethod.Post, "v1/videos", Key, Short)).Body.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await client.FinishedAsync(next, Key)).GetProperty("status").GetString());
    }
}
