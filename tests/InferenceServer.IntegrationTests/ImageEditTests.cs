using System.Net;
using System.Net.Http.Headers;
using InferenceServer.IntegrationTests.Infrastructure;
using SkiaSharp;

namespace InferenceServer.IntegrationTests;

/// <summary><c>POST /v1/images/edits</c> and <c>/v1/images/variations</c> (multipart) on the forge pipeline.</summary>
[Collection(ImageServerCollection.Name)]
public sealed class ImageEditTests
{
    private static readonly SKColor Gray = new(180, 180, 180);
    private readonly HttpClient _client;

    public ImageEditTests(ImageServerFixture fixture) => _client = fixture.Server.Client;

    [Theory]
    [InlineData("image")]
    [InlineData("image[]")]
    public async Task AMaskRepaintsItsRegionAndKeepsTheRest(string imageField)
    {
        using var form = Form(("prompt", "a green forest"), ("size", "128x128"), ("seed", "9"), ("steps", "4"));
        AddFile(form, imageField, TestImages.Solid(128, 128, Gray), "image/png");
        AddFile(form, "mask", TestImages.MaskRightOf(128, 128, 64), "image/png");

        var response = await _client.PostAsync("v1/images/edits", form);
        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var bitmap = TestImages.Decode(Convert.FromBase64String(body.GetProperty("data")[0].GetProperty("b64_json").GetString()!), out _);
        double kept = TestImages.MeanDifference(bitmap, Gray, 0, 64);
        double repainted = TestImages.MeanDifference(bitmap, Gray, 64, 128);
        Assert.True(repainted > 4 * (kept + 1), $"masked region changed by {repainted}, the rest by {kept}");
    }

    [Fact]
    public async Task WithoutAMaskTheWholeImageMovesAndVariationsWork()
    {
        using var edit = Form(("prompt", "a blue sea"), ("size", "64x64"), ("strength", "0.5"), ("n", "2"));
        AddFile(edit, "image", TestImages.Solid(100, 80, Gray, SKEncodedImageFormat.Jpeg), "image/jpeg");
        var edited = await _client.PostAsync("images/edits", edit);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(2, (await edited.ReadJsonAsync()).GetProperty("data").GetArrayLength());

        using var variation = Form(("size", "64x64"), ("response_format", "url"));
        AddFile(variation, "image", TestImages.Solid(64, 64, Gray, SKEncodedImageFormat.Webp), "image/webp");
        var varied = await _client.PostAsync("v1/images/variations", variation);
        Assert.Equal(HttpStatusCode.OK, varied.StatusCode);
        var url = (await varied.ReadJsonAsync()).GetProperty("data")[0].GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task SeveralInputImagesAreRefusedNotSilentlyDropped()
    {
        using var form = Form(("prompt", "a green forest"), ("size", "64x64"));
        AddFile(form, "image[]", TestImages.Solid(64, 64, Gray), "image/png");
        AddFile(form, "image[]", TestImages.Solid(64, 64, SKColors.Red), "image/png");

        var response = await _client.PostAsync("v1/images/edits", form);
        var error = (await response.ReadJsonAsync()).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("image", error.GetProperty("param").GetString());
        Assert.Contains("one image per request", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    internal static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    internal static void AddFile(MultipartFormDataContent form, string name, byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        form.Add(content, name, "upload" + (mediaType == "image/png" ? ".png" : ".bin"));
    }
}
