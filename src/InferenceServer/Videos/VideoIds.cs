using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace InferenceServer.Videos;

/// <summary>Video ids as OpenAI writes them (<c>video_</c> + 32 hex digits from a CSPRNG); checked before any path use.</summary>
internal static partial class VideoIds
{
    public static string New() => "video_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^video_[0-9a-f]{32}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
