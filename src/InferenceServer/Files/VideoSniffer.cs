namespace InferenceServer.Files;

/// <summary>
/// Tells a video container from its first bytes (the name and declared type are not trusted): ISO base media (MP4,
/// MOV: an <c>ftyp</c> box first), Matroska / WebM (the EBML magic, WebM when its DocType says so) and AVI (RIFF
/// <c>AVI </c>). Whether FFmpeg can decode it is found when it is used.
/// </summary>
internal static class VideoSniffer
{
    /// <summary>Enough for the EBML header's DocType, which follows the magic within the first few dozen bytes.</summary>
    public const int HeaderBytes = 64;

    public static string? ContentType(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return head[8..12].SequenceEqual("qt  "u8) ? "video/quicktime" : "video/mp4";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return head.IndexOf("webm"u8) >= 0 ? "video/webm" : "video/x-matroska";
        }

        return head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("AVI "u8) ? "video/x-msvideo" : null;
    }

    public static bool IsVideo(string contentType) => contentType.StartsWith("video/", StringComparison.Ordinal);
}
