using System.Diagnostics;
using System.Globalization;
using InferenceServer.Videos;
using Microsoft.Extensions.Options;

namespace InferenceServer.Vision;

/// <summary>
/// The frames of a video part, read with FFmpeg: the bytes go to a temporary folder, ffprobe gives the length, then
/// ffmpeg samples <c>Vision:VideoFps</c> frames a second as PNGs (fewer on a long video, so that at most
/// <c>Vision:MaxVideoFrames</c> cover all of it), each decoded like an image part. The whole read is bounded by
/// <c>Vision:VideoTimeoutSeconds</c>, and the folder is deleted after it, whatever happened. At most
/// <c>Vision:MaxConcurrentVideoDecodes</c> run at once (<see cref="VideoDecodeGate"/>).
/// </summary>
public sealed partial class VideoFrames
{
    private readonly Ffmpeg _ffmpeg;
    private readonly VideoDecodeGate _gate;
    private readonly VisionOptions _options;
    private readonly ILogger<VideoFrames> _logger;

    public VideoFrames(Ffmpeg ffmpeg, VideoDecodeGate gate, IOptions<VisionOptions> options, ILogger<VideoFrames> logger)
    {
        _ffmpeg = ffmpeg;
        _gate = gate;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Whether video parts can be read: FFmpeg runs.</summary>
    public bool Available => _ffmpeg.Missing is null;

    /// <summary>400 when FFmpeg cannot be run, before the part's bytes are read.</summary>
    public void CheckAvailable(ImagePart part)
    {
        if (_ffmpeg.Missing is { } missing)
        {
            throw VisionErrors.NoVideoDecoder(part, missing);
        }
    }

    public async Task<IReadOnlyList<DecodedImage>> ReadAsync(ImagePart part, byte[] bytes, CancellationToken cancellationToken)
    {
        CheckAvailable(part);
        using var slot = await _gate.EnterAsync(TimeSpan.FromSeconds(_options.VideoTimeoutSeconds), cancellationToken)
            ?? throw VisionErrors.VideoDecodersBusy(part, _options.MaxConcurrentVideoDecodes, _options.VideoTimeoutSeconds);
        var folder = Directory.CreateTempSubdirectory("inferenceserver-video-");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.VideoTimeoutSeconds));
        try
        {
            var input = Path.Combine(folder.FullName, "input");
            await File.WriteAllBytesAsync(input, bytes, cancellationToken);
            var seconds = await SecondsAsync(part, input, timeout.Token);
            var fps = seconds > 0 ? Math.Min(_options.VideoFps, _options.MaxVideoFrames / seconds) : _options.VideoFps;
            var (exit, _, error) = await RunAsync(part, "ffmpeg", [
                "-v", "error", "-nostdin", "-i", input,
                "-vf", $"fps={fps.ToString("0.######", CultureInfo.InvariantCulture)},{Scale(_options.MaxVideoFramePixels)}",
                "-frames:v", _options.MaxVideoFrames.ToString(CultureInfo.InvariantCulture),
                "-f", "image2", Path.Combine(folder.FullName, "frame-%04d.png"),
            ], timeout.Token);
            if (exit != 0)
            {
                throw VisionErrors.InvalidVideo(part.Param, $"FFmpeg could not decode it ({Reason(error, input)}).");
            }

            var files = Directory.GetFiles(folder.FullName, "frame-*.png");
            Array.Sort(files, StringComparer.Ordinal);
            if (files.Length == 0)
            {
                throw VisionErrors.InvalidVideo(part.Param, "no frame could be decoded from it.");
            }

            var frames = new List<DecodedImage>(files.Length);
            foreach (var file in files)
            {
                frames.Add(ImageDecoder.Decode(part, await File.ReadAllBytesAsync(file, cancellationToken), _options));
            }

            LogSampled(_logger, frames.Count, seconds, fps);
            return frames;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw VisionErrors.InvalidVideo(part.Param, $"reading its frames took longer than {_options.VideoTimeoutSeconds} s (Vision:VideoTimeoutSeconds).");
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogNotDeleted(_logger, folder.FullName, e);
            }
        }
    }

    /// <summary>
    /// FFmpeg's filter that scales a frame over <paramref name="pixels"/> down to fit, aspect kept (even sides, as
    /// encoders want them), and leaves a smaller one as it is.
    /// </summary>
    internal static string Scale(long pixels)
    {
        var p = pixels.ToString(CultureInfo.InvariantCulture);
        return $"scale=w='if(gt(iw*ih,{p}),max(2,trunc(iw*sqrt({p}/(iw*ih))/2)*2),iw)':h='if(gt(iw*ih,{p}),max(2,trunc(ih*sqrt({p}/(iw*ih))/2)*2),ih)'";
    }

    /// <summary>The video's length in seconds from ffprobe (0 when it does not say); 400 when it is not a video.</summary>
    private async Task<double> SecondsAsync(ImagePart part, string input, CancellationToken cancellationToken)
    {
        var (exit, output, error) = await RunAsync(part, "ffprobe", [
            "-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "default=noprint_wrappers=1", input,
        ], cancellationToken);
        if (exit != 0)
        {
            throw VisionErrors.InvalidVideo(part.Param, $"the content is not a video FFmpeg can read ({Reason(error, input)}).");
        }

        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        if (!lines.Contains("codec_type=video"))
        {
            throw VisionErrors.InvalidVideo(part.Param, "it has no video stream.");
        }

        var duration = lines.FirstOrDefault(l => l.StartsWith("duration=", StringComparison.Ordinal))?["duration=".Length..];
        return double.TryParse(duration, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0 ? seconds : 0;
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(ImagePart part, string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_ffmpeg.Binary(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException($"{start.FileName} did not start.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw VisionErrors.NoVideoDecoder(part, $"{tool} could not be run ({start.FileName}): install ffmpeg (apt-get install ffmpeg) or set Videos:FfmpegFolder to the folder holding ffmpeg and ffprobe.");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
                return (process.ExitCode, await output, await error);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
    }

    /// <summary>FFmpeg's last error line (the one that says why it stopped), with the temporary path left out.</summary>
    private static string Reason(string error, string input)
    {
        var line = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
        line = line.Replace(input + ": ", string.Empty, StringComparison.Ordinal).Replace(input, "the video", StringComparison.Ordinal);
        return line.Length > 200 ? line[..200] : line;
    }

    [LoggerMessage(EventId = 590, Level = LogLevel.Debug, Message = "Video part: {Frames} frames sampled from {Seconds} s at {Fps} fps")]
    private static partial void LogSampled(ILogger logger, int frames, double seconds, double fps);

    [LoggerMessage(EventId = 591, Level = LogLevel.Warning, Message = "The temporary folder {Folder} of a video part could not be deleted")]
    private static partial void LogNotDeleted(ILogger logger, string folder, Exception exception);
}
