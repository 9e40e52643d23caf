using System.Diagnostics;
using System.Globalization;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>Small real videos for the video-input tests, made with the machine's FFmpeg (CI installs it).</summary>
public static class TestVideos
{
    /// <summary>An H.264 MP4, 64 × 64 at 25 fps: one second of each of <paramref name="colours"/> (FFmpeg colour names), in order.</summary>
    public static Task<byte[]> Mp4Async(params string[] colours)
    {
        List<string> arguments = [];
        foreach (var colour in colours)
        {
            arguments.AddRange(["-f", "lavfi", "-i", $"color=c={colour}:s=64x64:r=25:d=1"]);
        }

        var inputs = string.Concat(Enumerable.Range(0, colours.Length).Select(i => $"[{i}]"));
        arguments.AddRange(["-filter_complex", $"{inputs}concat=n={colours.Length.ToString(CultureInfo.InvariantCulture)}:v=1", "-pix_fmt", "yuv420p", "-c:v", "libx264"]);
        return MakeAsync(arguments, "mp4");
    }

    /// <summary>An H.264 MP4 of one second of <paramref name="colour"/> at <paramref name="width"/> × <paramref name="height"/>, 5 fps.</summary>
    public static Task<byte[]> Mp4Async(string colour, int width, int height) =>
        MakeAsync(["-f", "lavfi", "-i", $"color=c={colour}:s={width}x{height}:r=5:d=1", "-pix_fmt", "yuv420p", "-c:v", "libx264"], "mp4");

    /// <summary>An MP4 with one second of a sine tone and no video stream.</summary>
    public static Task<byte[]> AudioOnlyMp4Async() => MakeAsync(["-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac"], "mp4");

    private static async Task<byte[]> MakeAsync(List<string> arguments, string extension)
    {
        var folder = Directory.CreateTempSubdirectory("test-video-");
        try
        {
            var output = Path.Combine(folder.FullName, "clip." + extension);
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in (string[])["-v", "error", "-nostdin", .. arguments, output])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"ffmpeg failed: {await error}");
            return await File.ReadAllBytesAsync(output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
