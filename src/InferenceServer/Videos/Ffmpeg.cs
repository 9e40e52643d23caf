using System.Diagnostics;
using FFMpegCore;
using Microsoft.Extensions.Options;

namespace InferenceServer.Videos;

/// <summary>
/// The FFmpeg this server runs, for writing generated videos and for reading the frames of video parts in chat:
/// ffmpeg and ffprobe in <c>Videos:FfmpegFolder</c>, or on the PATH when it is empty. It is probed once, at start;
/// <see cref="Missing"/> says when it cannot be run.
/// </summary>
public sealed class Ffmpeg
{
    public Ffmpeg(IOptions<VideoOptions> options)
    {
        Folder = options.Value.FfmpegFolder;
        Options = new FFOptions { BinaryFolder = Folder };
        Missing = Probe(Binary("ffmpeg"));
    }

    /// <summary>The configured folder; empty: the PATH.</summary>
    public string Folder { get; }

    /// <summary>FFMpegCore's options naming that folder.</summary>
    public FFOptions Options { get; }

    /// <summary>Null when ffmpeg runs; else the sentence that says it is missing and how to install it.</summary>
    public string? Missing { get; }

    /// <summary>The path (or, without a folder, the PATH name) of <paramref name="tool"/>: <c>ffmpeg</c> or <c>ffprobe</c>.</summary>
    public string Binary(string tool) => string.IsNullOrEmpty(Folder) ? tool : Path.Combine(Folder, tool);

    private static string? Probe(string binary)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(binary, "-hide_banner -version") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return $"FFmpeg ({binary}) could not be started.";
            }

            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"FFmpeg ({binary}) exited with {process.ExitCode} on -version.";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return $"FFmpeg was not found ({binary}): install ffmpeg (apt-get install ffmpeg, brew install ffmpeg or winget install ffmpeg) or set Videos:FfmpegFolder to the folder holding ffmpeg and ffprobe.";
        }
    }
}
