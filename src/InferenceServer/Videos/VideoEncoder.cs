using FFMpegCore;
using FFMpegCore.Pipes;
using InferenceServer.Engine.Videos;
using SkiaSharp;

namespace InferenceServer.Videos;

/// <summary>
/// Writes a job's files: H.264 MP4 (yuv420p, faststart, the job's fps) through FFmpeg via FFMpegCore, a WebP
/// thumbnail (the middle frame) and a JPEG spritesheet (up to 16 frames in a 4-wide grid) with SkiaSharp. Each file
/// is written to a temporary name and renamed into place. <see cref="Missing"/> says when FFmpeg cannot be run.
/// </summary>
public sealed class VideoEncoder
{
    private readonly FFOptions _ff;

    public VideoEncoder(Ffmpeg ffmpeg)
    {
        _ff = ffmpeg.Options;
        Missing = ffmpeg.Missing is { } missing ? $"the video encoder {missing}" : null;
    }

    /// <summary>Null when ffmpeg runs; else the sentence that says it is missing and how to install it.</summary>
    public string? Missing { get; }

    public async Task EncodeAsync(GeneratedVideo video, int frames, int fps, string mp4, string thumbnail, string spritesheet, CancellationToken cancellationToken)
    {
        var used = video.Frames.Take(frames).Select(f => new RgbFrame(video.Width, video.Height, f)).ToList();
        var temp = mp4 + ".tmp.mp4";

        // The stills are drawn here while FFmpeg, a process of its own, encodes the MP4.
        var stills = Task.Run(
            () =>
            {
                using (var middle = ToBitmap(video, video.Frames[Math.Min(frames, video.Frames.Count) / 2]))
                {
                    Save(middle, thumbnail, SKEncodedImageFormat.Webp);
                }

                WriteSpritesheet(video, frames, spritesheet);
            },
            cancellationToken);
        try
        {
            await FFMpegArguments
                .FromPipeInput(new RawVideoPipeSource(used) { FrameRate = fps })
                .OutputToFile(temp, overwrite: true, o => o.WithCustomArgument($"-c:v libx264 -pix_fmt yuv420p -movflags +faststart -r {fps}"))
                .CancellableThrough(cancellationToken)
                .ProcessAsynchronously(throwOnError: true, _ff);
            File.Move(temp, mp4, overwrite: true);
        }
        finally
        {
            // Never leave the stills' writes running past a failed or cancelled encode.
            await stills.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await stills;
    }

    private static void WriteSpritesheet(GeneratedVideo video, int frames, string path)
    {
        int count = Math.Min(16, frames);
        int columns = Math.Min(4, count);
        int rows = (count + columns - 1) / columns;
        using var sheet = new SKBitmap(video.Width * columns, video.Height * rows, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(sheet))
        {
            for (int i = 0; i < count; i++)
            {
                using var frame = ToBitmap(video, video.Frames[i * frames / count]);
                using var image = SKImage.FromBitmap(frame);
                canvas.DrawImage(image, (i % columns) * video.Width, i / columns * video.Height, SKSamplingOptions.Default);
            }
        }

        Save(sheet, path, SKEncodedImageFormat.Jpeg);
    }

    private static void Save(SKBitmap bitmap, string path, SKEncodedImageFormat format)
    {
        var temp = path + ".tmp";
        using (var data = bitmap.Encode(format, 90))
        using (var stream = File.Create(temp))
        {
            data.SaveTo(stream);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static SKBitmap ToBitmap(GeneratedVideo video, byte[] rgb)
    {
        var bitmap = new SKBitmap(video.Width, video.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var pixels = new byte[video.Width * video.Height * 4];
        for (int p = 0; p < video.Width * video.Height; p++)
        {
            pixels[p * 4] = rgb[p * 3];
            pixels[(p * 4) + 1] = rgb[(p * 3) + 1];
            pixels[(p * 4) + 2] = rgb[(p * 3) + 2];
            pixels[(p * 4) + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }

    private sealed class RgbFrame(int width, int height, byte[] rgb) : IVideoFrame
    {
        public int Width => width;

        public int Height => height;

        public string Format => "rgb24";

        public string PixelFormat => "rgb24";

        public void Serialize(Stream pipe) => pipe.Write(rgb);

        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(rgb, token).AsTask();
    }
}
