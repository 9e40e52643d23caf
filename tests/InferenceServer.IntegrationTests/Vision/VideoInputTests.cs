using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.Vision;
using static InferenceServer.IntegrationTests.Vision.ImageRequests;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>
/// Video parts (vLLM's <c>video_url</c>, llama.cpp's <c>input_video</c>, a Responses <c>input_video</c>): a real MP4
/// sent as a data: URL is sampled with FFmpeg, its frames reach the demo vision model as images where the part stood
/// (the scripted model names the dominant colour of the last one), and each way a video can be wrong gets its own
/// 4xx envelope naming the part.
/// </summary>
public sealed class VideoInputTests : IAsyncLifetime
{
    /// <summary>A square frame tiles into 4 × 4 crops: ((4 · 4) + 1) · 144 + 1 + (4 + 1) · 12 image tokens.</summary>
    private const int SquareFrameTokens = (((4 * 4) + 1) * 144) + 1 + ((4 + 1) * 12);

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Vision:MaxImagesPerRequest"] = "3",
        ["Vision:MaxVideoFrames"] = "2", // two 64 × 64 frames fill most of the demo vision model's 8,192-token context
        ["Vision:MaxVideoBytes"] = "65536",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("red")]
    [InlineData("blue")]
    public async Task EachVideoGetsTheColourOfItsFramesAndItsFramesAreCountedAsImageTokens(string colour)
    {
        var (response, body) = await _server.Client.PostJsonAsync("v1/chat/completions", ChatBody(VisionModel, "video_url", await TestVideos.Mp4Async(colour, colour)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"The image is {colour}.", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2 * SquareFrameTokens, body.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public async Task ALongVideoIsSampledOverItsWholeLengthWithinMaxVideoFrames()
    {
        // Four seconds at 1 fps is four frames; with Vision:MaxVideoFrames 2 they are taken at 0 s (red) and 2 s (blue),
        // not the first two seconds (red, green). The model names the last frame's colour.
        var video = await TestVideos.Mp4Async("red", "green", "blue", "green");
        var (response, body) = await _server.Client.PostJsonAsync("v1/chat/completions", ChatBody(VisionModel, "video_url", video));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("The image is blue.", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2 * SquareFrameTokens, body.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public async Task LlamaCppsInputVideoAndAResponsesInputVideoAreReadToo()
    {
        var video = await TestVideos.Mp4Async("red", "blue");
        var (chat, chatBody) = await _server.Client.PostJsonAsync("v1/chat/completions", ChatBody(VisionModel, "input_video", video));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal("The image is blue.", chatBody.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());

        var (responses, text, body) = await AskResponsesAsync(video);
        Assert.Equal(HttpStatusCode.OK, responses);
        Assert.Equal("The image is blue.", text);
        Assert.Equal(2 * SquareFrameTokens, body.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public async Task WithEveryDecodeSlotTakenAVideoPartWaitsItsTimeoutThen503sWithRetryAfterAndAFreedSlotServesIt()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Vision:MaxVideoFrames"] = "2",
            ["Vision:MaxConcurrentVideoDecodes"] = "1",
            ["Vision:VideoTimeoutSeconds"] = "3", // the wait for a slot, and also the bound on the decode after it: room for a loaded machine
        });
        var video = await TestVideos.Mp4Async("red", "blue");
        var gate = server.Service<InferenceServer.Vision.VideoDecodeGate>();
        var held = await gate.EnterAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);

        var (busy, error) = await server.Client.PostJsonAsync("v1/chat/completions", ChatBody(VisionModel, "video_url", video));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("1", busy.Headers.RetryAfter?.ToString());
        Assert.Equal("video_decoders_busy", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("messages[0].content[1].video_url.url", error.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("1 at a time, Vision:MaxConcurrentVideoDecodes", error.GetProperty("error").GetProperty("message").GetString());

        held!.Dispose();
        var (ok, body) = await server.Client.PostJsonAsync("v1/chat/completions", ChatBody(VisionModel, "video_url", video));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("The image is blue.", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task AHighResolutionVideosFramesAreScaledDownToMaxVideoFramePixelsBeforeTheyAreDecoded()
    {
        // 3,000 × 1,500 (4.5 million pixels a frame) against the default 1,344² = 1,806,336: FFmpeg writes 1,900 × 950.
        var frames = _server.Service<VideoFrames>();
        var part = new ImagePart("video_url", "messages[0].content[0]", "messages[0].content[0].video_url.url", null, null, ImageDetail.Auto);
        var large = await frames.ReadAsync(part, await TestVideos.Mp4Async("red", 3000, 1500), CancellationToken.None);
        var frame = Assert.Single(large);
        Assert.Equal((1900, 950), (frame.Width, frame.Height));
        Assert.True(frame.Width * frame.Height <= 1344 * 1344);

        // A frame within the bound keeps its size.
        var small = await frames.ReadAsync(part, await TestVideos.Mp4Async("red", 320, 240), CancellationToken.None);
        Assert.Equal((320, 240), (small[0].Width, small[0].Height));
    }

    [Fact]
    public async Task CorruptBytesAre400NamingTheUrl()
    {
        var (status, error) = await ErrorAsync(ChatBody(VisionModel, "video_url", "this is not a video, just some bytes"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_video", error.GetProperty("code").GetString());
        Assert.Equal("messages[0].content[1].video_url.url", error.GetProperty("param").GetString());
        Assert.Contains("not a video FFmpeg can read (Invalid data found when processing input)", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AFileWithNoVideoStreamIs400()
    {
        var (status, error) = await ErrorAsync(ChatBody(VisionModel, "video_url", await TestVideos.AudioOnlyMp4Async()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_video", error.GetProperty("code").GetString());
        Assert.Contains("it has no video stream", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AVideoOverMaxVideoBytesIs400BeforeItIsDecoded()
    {
        var (status, error) = await ErrorAsync(ChatBody(VisionModel, "video_url", new byte[70_000]));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_video", error.GetProperty("code").GetString());
        Assert.Equal("messages[0].content[1].video_url.url", error.GetProperty("param").GetString());
        Assert.Contains("the video is larger than 65536 bytes (Vision:MaxVideoBytes)", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AVideoToATextOnlyModelIs400LikeAnImage()
    {
        var (status, error) = await ErrorAsync(ChatBody("deepseek-chat", "video_url", await TestVideos.Mp4Async("red")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("messages[0].content[1]", error.GetProperty("param").GetString());
        Assert.Contains("content parts of type 'video_url' are not supported by model 'deepseek-chat', which reads text only", error.GetProperty("message").GetString());
        Assert.Contains("input_modalities (GET /models) include \"video\"", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AVideosFramesCountAgainstMaxImagesPerRequest()
    {
        // Two frames and two pictures are four images; Vision:MaxImagesPerRequest is 3.
        var video = new { type = "video_url", video_url = new { url = DataUrl(await TestVideos.Mp4Async("red", "blue"), "video/mp4") } };
        var picture = new { type = "image_url", image_url = new { url = DataUrl(Png) } };
        var (status, error) = await ErrorAsync(new
        {
            model = VisionModel,
            messages = new[] { new { role = "user", content = (object[])[new { type = "text", text = "What happens?" }, video, picture, picture] } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("messages[0].content[1]", error.GetProperty("param").GetString());
        Assert.Contains("with the 2 frames of this video (each frame counts as an image) the request has 4 images; at most 3", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task WithoutFfmpegAVideoPartIs400SayingHowToInstallIt()
    {
        var empty = Directory.CreateTempSubdirectory("no-ffmpeg-").FullName;
        try
        {
            await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Videos:FfmpegFolder"] = empty });
            foreach (var type in (string[])["video_url", "input_video"])
            {
                var (response, body) = await server.Client.PostJsonAsync("v1/chat/completions", ChatBody(VisionModel, type, "not read"u8.ToArray()));
                var error = body.GetProperty("error");
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("video_decoder_unavailable", error.GetProperty("code").GetString());
                Assert.Equal("messages[0].content[1]", error.GetProperty("param").GetString());
                Assert.Contains($"content parts of type '{type}' are not supported: no video decoder is configured. Video frames are read with FFmpeg; FFmpeg was not found", error.GetProperty("message").GetString());
                Assert.Contains("install ffmpeg (apt-get install ffmpeg", error.GetProperty("message").GetString());
            }

            var models = await (await server.Client.GetAsync("v1/models")).ReadJsonAsync();
            var vision = models.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == VisionModel);
            Assert.Equal(["text", "image"], vision.GetProperty("input_modalities").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task AnUploadedVideoIsReadByFileIdFromAVideoPartAFilePartAndResponses()
    {
        var (upload, file) = await _server.Client.UploadAsync(("purpose", "user_data"), ("file", await TestVideos.Mp4Async("blue", "blue")));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var id = file.GetProperty("id").GetString()!;

        object[] parts =
        [
            new { type = "video_url", video_url = new { file_id = id } },
            new { type = "file", file = new { file_id = id } },
        ];
        foreach (var part in parts)
        {
            var (response, body) = await _server.Client.PostJsonAsync("v1/chat/completions", new
            {
                model = VisionModel,
                messages = new[] { new { role = "user", content = (object[])[new { type = "text", text = "What happens?" }, part] } },
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("The image is blue.", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            Assert.Equal(2 * SquareFrameTokens, body.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("image_tokens").GetInt32());
        }

        var (responses, answer) = await _server.Client.PostJsonAsync("v1/responses", new
        {
            model = VisionModel,
            input = new[] { new { role = "user", content = (object[])[new { type = "input_text", text = "What happens?" }, new { type = "input_video", file_id = id }] } },
        });
        Assert.Equal(HttpStatusCode.OK, responses.StatusCode);
        Assert.Equal(2 * SquareFrameTokens, answer.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public async Task AVideoFileInAnImagePartAndAnImageFileInAVideoPartAreRefusedNamingTheField()
    {
        var (_, video) = await _server.Client.UploadAsync(("purpose", "user_data"), ("file", await TestVideos.Mp4Async("red")));
        var (_, image) = await _server.Client.UploadPngAsync();
        var videoId = video.GetProperty("id").GetString()!;
        var imageId = image.GetProperty("id").GetString()!;

        var (status, error) = await ErrorAsync(new
        {
            model = VisionModel,
            messages = new[] { new { role = "user", content = (object[])[new { type = "text", text = "?" }, new { type = "image_url", image_url = new { file_id = videoId } }] } },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("messages[0].content[1].image_url.file_id", error.GetProperty("param").GetString());
        Assert.Contains("is a video (video/mp4)", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, error) = await ErrorAsync(new
        {
            model = VisionModel,
            messages = new[] { new { role = "user", content = (object[])[new { type = "text", text = "?" }, new { type = "video_url", video_url = new { file_id = imageId } }] } },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("messages[0].content[1].video_url.file_id", error.GetProperty("param").GetString());
        Assert.Contains("is an image (image/png)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static object ChatBody(string model, string type, byte[] video) => new
    {
        model,
        messages = new[]
        {
            new { role = "user", content = (object[])[new { type = "text", text = "What happens?" }, new Dictionary<string, object> { ["type"] = type, [type] = new { url = DataUrl(video, "video/mp4") } }] },
        },
    };

    private async Task<(HttpStatusCode Status, string Text, JsonElement Body)> AskResponsesAsync(byte[] video)
    {
        var (response, body) = await _server.Client.PostJsonAsync("v1/responses", new
        {
            model = VisionModel,
            input = new[] { new { role = "user", content = (object[])[new { type = "input_text", text = "What happens?" }, new { type = "input_video", video_url = DataUrl(video, "video/mp4") }] } },
        });
        var text = response.StatusCode != HttpStatusCode.OK ? body.GetRawText() : string.Concat(body.GetProperty("output").EnumerateArray()
            .Where(o => o.GetProperty("type").GetString() == "message")
            .SelectMany(o => o.GetProperty("content").EnumerateArray()).Select(c => c.GetProperty("text").GetString()));
        return (response.StatusCode, text, body);
    }

    private async Task<(HttpStatusCode Status, JsonElement Error)> ErrorAsync(object body)
    {
        var (response, json) = await _server.Client.PostJsonAsync("v1/chat/completions", body);
        return (response.StatusCode, json.GetProperty("error"));
    }
}
