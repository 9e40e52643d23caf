using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace InferenceServer.Files;

/// <summary>
/// File ids as DeepSeek writes them (<c>file-api-</c> + 32 hex digits), the digits from a CSPRNG (128 bits). Every id
/// from a request is checked against this exact pattern before it comes near a path, so none can name another file.
/// </summary>
internal static partial class FileIds
{
    public const string Prefix = "file-api-";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^file-api-[0-9a-f]{32}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
