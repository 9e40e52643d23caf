using System.ClientModel;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Videos;
using SkiaSharp;
using SdkVideoClient = OpenAI.Videos.VideoClient;

#pragma warning disable OPENAI001 // The SDK marks its VideoClient as for evaluation.

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>
/// The whole job lifecycle through the official OpenAI .NET SDK's <see cref="SdkVideoClient"/> (2.15: protocol methods,
/// JSON in and out): create (JSON, and multipart with an <c>input_reference</c>), poll, list, download, remix, delete.
/// </summary>
public sealed class VideoSdkTests : IAsyncLifetime
{
    private const string Key = "sk-video-sdk-7f3b";
    private VideoServer _videos = null!;
    private SdkVideoClient _client = null!;

    public async Task InitializeAsync()
    {
        _videos = await VideoServer.StartAsync(new Dictionary<string, string?> { ["Auth:Keys:0"] = Key });
        _client = new SdkVideoClient(new ApiKeyCredential(Key), new VideoClientOptions { Endpoint = new Uri(_videos.Server.BaseAddress, "v1") });
    }

    public async Task DisposeAsync() => await _videos.DisposeAsync();

    [Fact]
    public async Task TheSdkCreatesPollsListsDownloadsRemixesAndDeletesAVideo()
    {
        var body = BinaryContent.Create(BinaryData.FromObjectAsJson(new { model = "forge-video", prompt = "waves", seconds = "1", size = "128x128", seed = 5, steps = 2 }));
        var created = Json(await _client.CreateVideoAsync(body, "application/json"));
        Assert.Equal("queued", created.GetProperty("status").GetString());
        var id = created.GetProperty("id").GetString()!;

        var done = await PollAsync(id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetInt32());

        var listed = new List<string>();
        await foreach (var page in _client.GetVideosAsync(limit: 10, order: "asc", after: null, options: null).GetRawPagesAsync())
        {
            listed.AddRange(Json(page).GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()!));
        }

        Assert.Equal([id], listed);
        var mp4 = (await _client.DownloadVideoAsync(id, "video")).GetRawResponse().Content.ToArray();
        Assert.Equal("8", (await VideoClient.ProbeAsync(mp4)).GetProperty("nb_read_frames").GetString());
        var thumbnail = (await _client.DownloadVideoAsync(id, "thumbnail")).GetRawResponse().Content.ToArray();
        Assert.Equal("WEBP"u8.ToArray(), thumbnail[8..12]);

        var remix = Json(await _client.CreateVideoRemixAsync(id, BinaryContent.Create(BinaryData.FromObjectAsJson(new { prompt = "calm sea" })), "application/json"));
        Assert.Equal(id, remix.GetProperty("remixed_from_video_id").GetString());
        Assert.Equal("completed", (await PollAsync(remix.GetProperty("id").GetString()!)).GetProperty("status").GetString());

        Assert.True(Json(await _client.DeleteVideoAsync(id)).GetProperty("deleted").GetBoolean());
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => _client.GetVideoAsync(id, null));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task TheSdkSendsAMultipartImageToVideoJob()
    {
        using var form = Uploads.Form(("model", "forge-video-i2v"), ("prompt", "a bird"), ("seconds", "1"), ("size", "128x128"),
            ("input_reference", TestImages.Solid(40, 40, SKColors.Teal)));
        var bytes = await form.ReadAsByteArrayAsync();
        var created = Json(await _client.CreateVideoAsync(BinaryContent.Create(BinaryData.FromBytes(bytes)), form.Headers.ContentType!.ToString()));
        Assert.Equal("completed", (await PollAsync(created.GetProperty("id").GetString()!)).GetProperty("status").GetString());
    }

    private static JsonElement Json(ClientResult result) => JsonDocument.Parse(result.GetRawResponse().Content.ToString()).RootElement.Clone();

    private async Task<JsonElement> PollAsync(string id)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var video = Json(await _client.GetVideoAsync(id, null));
            if (video.GetProperty("status").GetString() is "completed" or "failed")
            {
                return video;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(4), $"video {id} still {video.GetProperty("status")} after 4 minutes");
            await Task.Delay(50);
        }
    }
}
