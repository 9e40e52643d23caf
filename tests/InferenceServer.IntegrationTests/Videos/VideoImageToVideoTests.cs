using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using SkiaSharp;

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>
/// Image-to-video on the forge's Wan 2.1 I2V-layout pipeline (image encoder, VAE-encoded first frame, conditioned
/// transformer) over HTTP: <c>input_reference</c> as a multipart file, a data URL or a Files API id, and its refusals.
/// </summary>
public sealed class VideoImageToVideoTests : IAsyncLifetime
{
    private const string Model = "forge-video-i2v";
    private VideoServer _videos = null!;

    private HttpClient Client => _videos.Client;

    public async Task InitializeAsync() => _videos = await VideoServer.StartAsync();

    public async Task DisposeAsync() => await _videos.DisposeAsync();

    [Fact]
    public async Task TheFirstFrameTakesTheReferencesColourWhetherUploadedSentAsADataUrlOrNamedByFileId()
    {
        var red = new SKColor(200, 50, 40);
        var blue = new SKColor(40, 70, 210);
        var green = new SKColor(60, 190, 80);
        using var form = Uploads.Form(("model", Model), ("prompt", "a bird"), ("size", "128x128"), ("seconds", "1"), ("seed", "3"), ("input_reference", TestImages.Solid(96, 64, red)));
        var uploaded = await Client.PostAsync("v1/videos", form);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var redId = (await uploaded.ReadJsonAsync()).GetProperty("id").GetString()!;

        var dataUrl = "data:image/png;base64," + Convert.ToBase64String(TestImages.Solid(64, 96, blue));
        var blueId = await CreateAsync(new { model = Model, prompt = "a bird", size = "128x128", seconds = "1", seed = 3, input_reference = new { image_url = dataUrl } });
        var (_, file) = await Client.UploadPngAsync(TestImages.Solid(80, 80, green));
        var greenId = await CreateAsync(new { model = Model, prompt = "a bird", size = "128x128", seconds = "1", seed = 3, input_reference = new { file_id = file.GetProperty("id").GetString() } });

        foreach (var (id, colour) in new[] { (redId, red), (blueId, blue), (greenId, green) })
        {
            var done = await Client.FinishedAsync(id, string.Empty);
            Assert.Equal("completed", done.GetProperty("status").GetString());
            var frames = await VideoClient.DecodeAsync(await Client.ContentAsync(id, string.Empty), 128, 128);
            Assert.Equal(8, frames.Count);
            var mean = MeanColour(frames[0]);
            double[] expected = [colour.Red, colour.Green, colour.Blue];
            for (int c = 0; c < 3; c++)
            {
                Assert.True(Math.Abs(mean[c] - expected[c]) < 30, $"first frame of {id} has mean ({string.Join(", ", mean.Select(m => m.ToString("F0")))}); the reference is ({string.Join(", ", expected)})");
            }
        }
    }

    [Fact]
    public async Task ReferencesThatCannotBeUsedAreRefusedWithTheFieldNamed()
    {
        async Task Refused(object body, HttpStatusCode status, string param)
        {
            var (response, error) = await Client.SendAsync(HttpMethod.Post, "v1/videos", string.Empty, body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(param, error.GetProperty("error").GetProperty("param").GetString());
        }

        var png = TestImages.Solid(32, 32, SKColors.Orange);
        await Refused(new { model = "forge-video", prompt = "a cat", input_reference = new { image_url = "data:image/png;base64," + Convert.ToBase64String(png) } },
            HttpStatusCode.BadRequest, "input_reference");
        await Refused(new { model = Model, prompt = "a cat" }, HttpStatusCode.BadRequest, "input_reference");
        await Refused(new { model = Model, prompt = "a cat", input_reference = new { image_url = "data:image/png;base64," + Convert.ToBase64String("not a picture at all"u8) } },
            HttpStatusCode.BadRequest, "input_reference");
        await Refused(new { model = Model, prompt = "a cat", input_reference = new { image_url = "data:image/png;base64," + Convert.ToBase64String(png[..(png.Length / 2)]) } },
            HttpStatusCode.BadRequest, "input_reference");
        await Refused(new { model = Model, prompt = "a cat", input_reference = new { file_id = "file-api-missing" } }, HttpStatusCode.NotFound, "input_reference.file_id");
        await Refused(new { model = Model, prompt = "a cat", input_reference = 42 }, HttpStatusCode.UnprocessableEntity, "input_reference");

        using var corrupt = Uploads.Form(("model", Model), ("prompt", "a cat"), ("input_reference", new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 }));
        var response = await Client.PostAsync("v1/videos", corrupt);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input_reference", (await response.ReadJsonAsync()).GetProperty("error").GetProperty("param").GetString());
        Assert.Empty((await Client.GetJsonAsync("v1/videos")).GetProperty("data").EnumerateArray());
    }

    private async Task<string> CreateAsync(object body)
    {
        var (response, job) = await Client.SendAsync(HttpMethod.Post, "v1/videos", string.Empty, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, job.ToString());
        return job.GetProperty("id").GetString()!;
    }

    private static double[] MeanColour(byte[] rgb)
    {
        var sum = new double[3];
        for (int i = 0; i < rgb.Length; i++)
        {
            sum[i % 3] += rgb[i];
        }

        return [.. sum.Select(s => s / (rgb.Length / 3))];
    }
}
