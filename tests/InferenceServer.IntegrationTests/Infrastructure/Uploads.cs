using System.Net.Http.Headers;
using System.Text.Json;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>Multipart uploads to <c>POST /files</c>, shaped as curl's <c>-F</c> sends them.</summary>
public static class Uploads
{
    /// <summary>A small PNG (2×2, red).</summary>
    public static byte[] Png { get; } = TestImages.Solid(2, 2, SkiaSharp.SKColors.Red);

    /// <summary>A PNG header followed by <paramref name="length"/> bytes that differ per <paramref name="seed"/>: a large image upload.</summary>
    public static byte[] PaddedPng(int length, int seed)
    {
        var bytes = new byte[Png.Length + length];
        new Random(seed).NextBytes(bytes);
        Png.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>Fields in the given order; a field named <c>file</c> is sent as a file part.</summary>
    public static MultipartFormDataContent Form(params (string Name, object Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            if (value is byte[] bytes)
            {
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(file, name, "picture.png");
            }
            else
            {
                form.Add(new StringContent((string)value), name);
            }
        }

        return form;
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> UploadAsync(this HttpClient client, params (string Name, object Value)[] fields)
    {
        var response = await client.PostAsync("v1/files", Form(fields));
        return (response, await response.ReadJsonAsync());
    }

    public static Task<(HttpResponseMessage Response, JsonElement Body)> UploadPngAsync(this HttpClient client, byte[]? bytes = null) =>
        client.UploadAsync(("purpose", "user_data"), ("file", bytes ?? Png));

    /// <summary>GET that must succeed, as JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }
}
