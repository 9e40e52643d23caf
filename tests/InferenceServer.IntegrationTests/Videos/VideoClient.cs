using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>Raw HTTP shaped like OpenAI's videos client, plus FFmpeg to read what comes back.</summary>
internal static class VideoClient
{
    public static HttpRequestMessage Keyed(HttpMethod method, string path, string key, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if (body is not null)
        {
            request.Content = Http.Json(body);
        }

        return request;
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(this HttpClient client, HttpMethod method, string path, string key, object? body = null)
    {
        using var request = Keyed(method, path, key, body);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>Polls GET /v1/videos/{id} until <paramref name="done"/> holds, failing past the deadline.</summary>
    public static async Task<JsonElement> PollAsync(this HttpClient client, string id, string key, Func<JsonElement, bool> done, List<int>? progress = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (_, body) = await client.SendAsync(HttpMethod.Get, $"v1/videos/{id}", key);
            progress?.Add(body.GetProperty("progress").GetInt32());
            if (done(body))
            {
                return body;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(4), $"video {id} still {body.GetProperty("status")} after 4 minutes");
            await Task.Delay(50);
        }
    }

    public static Task<JsonElement> FinishedAsync(this HttpClient client, string id, string key, List<int>? progress = null) =>
        client.PollAsync(id, key, b => b.GetProperty("status").GetString() is "completed" or "failed", progress);

    public static async Task<byte[]> ContentAsync(this HttpClient client, string id, string key, string variant = "video")
    {
        using var request = Keyed(HttpMethod.Get, $"v1/videos/{id}/content?variant={variant}", key);
        var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>ffprobe's view of the first video stream: codec, pixel format, size and counted frames.</summary>
    public static async Task<JsonElement> ProbeAsync(byte[] mp4)
    {
        var path = await TempAsync(mp4);
        var json = await RunAsync("ffprobe", $"-v error -select_streams v:0 -count_frames -show_entries stream=codec_name,pix_fmt,width,height,nb_read_frames,r_frame_rate -of json {path}");
        File.Delete(path);
        return JsonDocument.Parse(json).RootElement.GetProperty("streams")[0].Clone();
    }

    /// <summary>The MP4 decoded by ffmpeg into RGB24 frames.</summary>
    public static async Task<List<byte[]>> DecodeAsync(byte[] mp4, int width, int height)
    {
        var path = await TempAsync(mp4);
        var info = new ProcessStartInfo("ffmpeg", $"-v error -i {path} -f rawvideo -pix_fmt rgb24 -") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        using var buffer = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(buffer);
        await process.WaitForExitAsync();
        File.Delete(path);
        Assert.True(process.ExitCode == 0, await errors);
        var bytes = buffer.ToArray();
        int frame = width * height * 3;
        return [.. Enumerable.Range(0, bytes.Length / frame).Select(i => bytes.AsSpan(i * frame, frame).ToArray())];
    }

    /// <summary>The MP4's top-level box types in file order (size + type headers; 64-bit sizes followed).</summary>
    public static List<string> TopLevelBoxes(byte[] mp4)
    {
        var boxes = new List<string>();
        for (long at = 0; at + 8 <= mp4.Length;)
        {
            long size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan((int)at, 4));
            boxes.Add(System.Text.Encoding.ASCII.GetString(mp4, (int)at + 4, 4));
            if (size == 1)
            {
                size = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(mp4.AsSpan((int)at + 8, 8));
            }

            if (size < 8)
            {
                break; // 0: to the end of the file
            }

            at += size;
        }

        return boxes;
    }

    public static double MeanAbsoluteDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }

    private static async Task<string> TempAsync(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), "video-test-" + Guid.NewGuid().ToString("N") + ".mp4");
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static async Task<string> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await errors);
        return await output;
    }
}
