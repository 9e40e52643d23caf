using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using SkiaSharp;

namespace InferenceServer.IntegrationTests;

/// <summary>Bad image requests get the error envelope naming the field, and the server keeps serving.</summary>
[Collection(ImageServerCollection.Name)]
public sealed class ImageBadInputTests
{
    private readonly HttpClient _client;

    public ImageBadInputTests(ImageServerFixture fixture) => _client = fixture.Server.Client;

    public static TheoryData<string, int, string> Bodies() => new()
    {
        { "{\"size\":\"64x64\"}", 400, "prompt" },
        { "{\"prompt\":\"a cat\",\"size\":\"1000x1000\"}", 422, "size" },
        { "{\"prompt\":\"a cat\",\"size\":\"big\"}", 422, "size" },
        { "{\"prompt\":\"a cat\",\"n\":0}", 422, "n" },
        { "{\"prompt\":\"a cat\",\"n\":11}", 422, "n" },
        { "{\"prompt\":\"a cat\",\"n\":\"three\"}", 422, "n" },
        { "{\"prompt\":\"a cat\",\"model\":\"dall-e-9\"}", 400, "model" },
        { "{\"prompt\":\"a cat\",\"response_format\":\"gif\"}", 422, "response_format" },
        { "{\"prompt\":\"a cat\",\"output_format\":\"bmp\"}", 422, "output_format" },
        { "{\"prompt\":\"a cat\",\"output_compression\":101}", 422, "output_compression" },
        { "{\"prompt\":\"a cat\",\"background\":\"transparent\"}", 422, "background" },
        { "{\"prompt\":\"a cat\",\"steps\":0}", 422, "steps" },
        { "{\"prompt\":\"a cat\",\"steps\":51}", 422, "steps" },
        { "{\"prompt\":\"a cat\",\"guidance_scale\":-1}", 422, "guidance_scale" },
        { "{\"prompt\":\"a cat\",\"scheduler\":\"pndm\"}", 422, "scheduler" },
        { "{\"prompt\":\"a cat\",\"stream\":true}", 422, "stream" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task BadGenerationRequestsGetTheEnvelope(string body, int status, string param)
    {
        var response = await _client.PostAsync("v1/images/generations", Http.Json(body));
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    public static TheoryData<string, string> BadUploads() => new()
    {
        { "not an image", "image" },
        { "truncated png", "image" },
        { "corrupt jpeg", "image" },
        { "too many bytes", "image" },
        { "too many pixels", "image" },
        { "gif", "image" },
        { "empty", "image" },
        { "mask of another size", "mask" },
        { "mask not an image", "mask" },
        { "no image", "image" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task BadUploadsGetA400NamingTheFieldAndTheServerKeepsServing(string upload, string param)
    {
        var png = TestImages.Solid(64, 64, SKColors.Gray);
        using var form = ImageEditTests.Form(("prompt", "a cat"), ("size", "64x64"));
        byte[]? image = upload switch
        {
            "not an image" => "hello, I am text"u8.ToArray(),
            "truncated png" => png[..(png.Length / 2)],
            "corrupt jpeg" => [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xDA, 1, 2, 3],
            "too many bytes" => [.. png, .. new byte[300_000]],
            "too many pixels" => BombPng(),
            "gif" => Convert.FromHexString("47494638396101000100800000FFFFFF00000021F90401000000002C00000000010001000002024401003B"),
            "empty" => [],
            "no image" => null,
            _ => png,
        };
        if (image is not null)
        {
            ImageEditTests.AddFile(form, "image", image, "image/png");
        }

        if (upload.StartsWith("mask", StringComparison.Ordinal))
        {
            ImageEditTests.AddFile(form, "mask", upload == "mask of another size" ? TestImages.MaskRightOf(32, 32, 16) : "nope"u8.ToArray(), "image/png");
        }

        var response = await _client.PostAsync("v1/images/edits", form);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (upload is "too many pixels" or "too many bytes")
        {
            Assert.Contains("limit", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var (ok, _) = await _client.PostJsonAsync("v1/images/generations", new { prompt = "still here", size = "64x64", steps = 1 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    /// <summary>A tiny PNG that claims 20000×20000 pixels: refused from its header, before any decoding.</summary>
    private static byte[] BombPng()
    {
        var png = TestImages.Solid(1, 1, SKColors.Gray);
        // IHDR width and height are big-endian at bytes 16..23, its CRC (over type + data) at 29..32.
        byte[] size = [0, 0, 0x4E, 0x20];
        size.CopyTo(png, 16);
        size.CopyTo(png, 20);
        uint crc = Crc32(png.AsSpan(12, 17));
        png[29] = (byte)(crc >> 24);
        png[30] = (byte)(crc >> 16);
        png[31] = (byte)(crc >> 8);
        png[32] = (byte)crc;
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
