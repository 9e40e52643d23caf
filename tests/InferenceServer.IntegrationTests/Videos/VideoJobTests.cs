using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>
/// OpenAI's <c>/v1/videos</c> jobs on the forge Wan-layout pipeline over real HTTP, real ONNX Runtime and real FFmpeg:
/// the lifecycle, the MP4 (read back by ffprobe and ffmpeg), determinism per seed, motion, cancellation, ownership.
/// </summary>
public sealed class VideoJobTests : IAsyncLifetime
{
    private const string Alice = "sk-video-alice-5d1e";
    private const string Bob = "sk-video-bob-0c7a";
    private VideoServer _videos = null!;

    private HttpClient Client => _videos.Client;

    public async Task InitializeAsync() => _videos = await VideoServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:Keys:0"] = Alice,
        ["Auth:Keys:1"] = Bob,
    });

    public async Task DisposeAsync() => await _videos.DisposeAsync();

    [Fact]
    public async Task AJobRunsToAnMp4WithTheRequestedFramesSizeAndMotionAndTheSameSeedGivesTheSameFrames()
    {
        var body = new { model = "forge-video", prompt = "a red bird flying over the sea", seconds = "2", size = "128x128", fps = 8, seed = 7, steps = 3 };
        var (created, job) = await Client.SendAsync(HttpMethod.Post, "v1/videos", Alice, body);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("video", job.GetProperty("object").GetString());
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal(0, job.GetProperty("progress").GetInt32());
        Assert.Equal("128x128", job.GetProperty("size").GetString());
        Assert.Equal("2", job.GetProperty("seconds").GetString());
        Assert.Equal(body.prompt, job.GetProperty("prompt").GetString());
        Assert.Matches("^video_[0-9a-f]{32}$", job.GetProperty("id").GetString());
        var (_, twin) = await Client.SendAsync(HttpMethod.Post, "videos", Alice, body);
        var (_, other) = await Client.SendAsync(HttpMethod.Post, "v1/videos", Alice, body with { seed = 8 });

        var progress = new List<int>();
        var done = await Client.FinishedAsync(job.GetProperty("id").GetString()!, Alice, progress);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetInt32());
        Assert.True(done.GetProperty("expires_at").GetInt64() > done.GetProperty("completed_at").GetInt64());
        Assert.Equal(progress.Order(), progress);
        Assert.All(progress, p => Assert.InRange(p, 0, 100));

        var mp4 = await Client.ContentAsync(job.GetProperty("id").GetString()!, Alice);
        var probe = await VideoClient.ProbeAsync(mp4);
        Assert.Equal("h264", probe.GetProperty("codec_name").GetString());
        Assert.Equal("yuv420p", probe.GetProperty("pix_fmt").GetString());
        Assert.Equal(128, probe.GetProperty("width").GetInt32());
        Assert.Equal(128, probe.GetProperty("height").GetInt32());
        Assert.Equal("16", probe.GetProperty("nb_read_frames").GetString()); // seconds × fps
        Assert.Equal("8/1", probe.GetProperty("r_frame_rate").GetString());
        var boxes = VideoClient.TopLevelBoxes(mp4);
        Assert.True(boxes.IndexOf("moov") is >= 0 and var moov && moov < boxes.IndexOf("mdat"), $"not faststart: {string.Join(' ', boxes)}");

        var frames = await VideoClient.DecodeAsync(mp4, 128, 128);
        Assert.Equal(16, frames.Count);
        for (int i = 1; i < frames.Count; i++)
        {
            Assert.True(VideoClient.MeanAbsoluteDifference(frames[i - 1], frames[i]) > 1.0, $"frame {i} repeats frame {i - 1}: no motion");
        }

        await Client.FinishedAsync(twin.GetProperty("id").GetString()!, Alice);
        var twinFrames = await VideoClient.DecodeAsync(await Client.ContentAsync(twin.GetProperty("id").GetString()!, Alice), 128, 128);
        Assert.Equal(frames, twinFrames);
        await Client.FinishedAsync(other.GetProperty("id").GetString()!, Alice);
        var otherFrames = await VideoClient.DecodeAsync(await Client.ContentAsync(other.GetProperty("id").GetString()!, Alice), 128, 128);
        Assert.True(VideoClient.MeanAbsoluteDifference(frames[0], otherFrames[0]) > 1.0, "another seed gives another video");

        var thumbnail = await Client.ContentAsync(job.GetProperty("id").GetString()!, Alice, "thumbnail");
        Assert.Equal("WEBP"u8.ToArray(), thumbnail[8..12]);
        var sheet = await Client.ContentAsync(job.GetProperty("id").GetString()!, Alice, "spritesheet");
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, sheet[..2]);
    }

    [Fact]
    public async Task JobsBelongToTheirKeyAndAreListedAndDeleted()
    {
        var (_, job) = await Client.SendAsync(HttpMethod.Post, "v1/videos", Alice, new { prompt = "a cat", size = "128x128", seconds = "1", steps = 1 });
        var id = job.GetProperty("id").GetString()!;
        await Client.FinishedAsync(id, Alice);

        var (get, error) = await Client.SendAsync(HttpMethod.Get, $"v1/videos/{id}", Bob);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("video_id", error.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync(HttpMethod.Get, $"v1/videos/{id}/content", Bob)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync(HttpMethod.Delete, $"v1/videos/{id}", Bob)).Response.StatusCode);
        Assert.DoesNotContain(id, (await Client.SendAsync(HttpMethod.Get, "v1/videos", Bob)).Body.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.Contains(id, (await Client.SendAsync(HttpMethod.Get, "v1/videos?order=asc&limit=100", Alice)).Body.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()));

        var (deleted, gone) = await Client.SendAsync(HttpMethod.Delete, $"v1/videos/{id}", Alice);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True(gone.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync(HttpMethod.Get, $"v1/videos/{id}", Alice)).Response.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(_videos.Directory, id + "*"));
    }

    [Fact]
    public async Task DeletingARunningJobStopsItsDenoisingLoopAndFreesTheSlot()
    {
        var pipeline = _videos.Server.Service<InferenceServer.Videos.VideoModels>().All[0].Pipeline;
        var (_, job) = await Client.SendAsync(HttpMethod.Post, "v1/videos", Alice, new { prompt = "a slow river", size = "256x256", seconds = "12", steps = 50 });
        var id = job.GetProperty("id").GetString()!;
        await Client.PollAsync(id, Alice, b => b.GetProperty("status").GetString() == "in_progress");
        long before = pipeline.DenoisingSteps;
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(HttpMethod.Delete, $"v1/videos/{id}", Alice)).Response.StatusCode);

        // One job runs per model: this one can only finish once the deleted one has let go of the slot.
        var (_, next) = await Client.SendAsync(HttpMethod.Post, "v1/videos", Alice, new { prompt = "a cat", size = "128x128", seconds = "1", steps = 2 });
        var done = await Client.FinishedAsync(next.GetProperty("id").GetString()!, Alice);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.True(pipeline.DenoisingSteps - before < 50, $"the deleted job kept running: {pipeline.DenoisingSteps - before} steps after the delete");
        Assert.Empty(Directory.EnumerateFiles(_videos.Directory, id + "*"));
    }

    [Fact]
    public async Task BadInputIsRefusedWithTheFieldNamed()
    {
        async Task Refused(object body, HttpStatusCode status, string param)
        {
            var (response, error) = await Client.SendAsync(HttpMethod.Post, "v1/videos", Alice, body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(param, error.GetProperty("error").GetProperty("param").GetString());
        }

        await Refused(new { seconds = "2" }, HttpStatusCode.BadRequest, "prompt");
        await Refused(new { prompt = "a cat", size = "1920x1080" }, HttpStatusCode.BadRequest, "size");
        await Refused(new { prompt = "a cat", seconds = "0" }, HttpStatusCode.BadRequest, "seconds");
        await Refused(new { prompt = "a cat", seconds = "four" }, HttpStatusCode.BadRequest, "seconds");
        await Refused(new { prompt = "a cat", seconds = "13" }, HttpStatusCode.BadRequest, "seconds");
        await Refused(new { prompt = "a cat", model = "sora-2" }, HttpStatusCode.BadRequest, "model");
        await Refused(new { prompt = "a cat", steps = 0 }, HttpStatusCode.UnprocessableEntity, "steps");
        await Refused(new { prompt = "a cat", fps = 500 }, HttpStatusCode.UnprocessableEntity, "fps");
        await Refused(new { prompt = "a cat", input_reference = new { image_url = "https://example.com/a.png" } }, HttpStatusCode.BadRequest, "input_reference");

        using var form = new MultipartFormDataContent
        {
            { new StringContent("a cat"), "prompt" },
            { new ByteArrayContent(Uploads.Png), "input_reference", "first.png" },
        };
        using var multipart = VideoClient.Keyed(HttpMethod.Post, "v1/videos", Alice);
        multipart.Content = form;
        var refused = await Client.SendAsync(multipart);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("input_reference", (await refused.ReadJsonAsync()).GetProperty("error").GetProperty("param").GetString());

        var (content, _) = await Client.SendAsync(HttpMethod.Get, "v1/videos/video_" + new string('0', 32) + "/content", Alice);
        Assert.Equal(HttpStatusCode.NotFound, content.StatusCode);
    }

    [Fact]
    public async Task MultipartCreatesTheSameJobAndRemixKeepsItsSettings()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("green waves"), "prompt" },
            { new StringContent("128x128"), "size" },
            { new StringContent("1"), "seconds" },
            { new StringContent("2"), "steps" },
            { new StringContent("11"), "seed" },
        };
        using var request = VideoClient.Keyed(HttpMethod.Post, "v1/videos", Alice);
        request.Content = form;
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
        await Client.FinishedAsync(id, Alice);

        var (_, remix) = await Client.SendAsync(HttpMethod.Post, $"v1/videos/{id}/remix", Alice, new { prompt = "blue waves" });
        Assert.Equal(id, remix.GetProperty("remixed_from_video_id").GetString());
        Assert.Equal("128x128", remix.GetProperty("size").GetString());
        Assert.Equal("1", remix.GetProperty("seconds").GetString());
        var done = await Client.FinishedAsync(remix.GetProperty("id").GetString()!, Alice);
        Assert.Equal("completed", done.GetProperty("status").GetString());
    }
}
