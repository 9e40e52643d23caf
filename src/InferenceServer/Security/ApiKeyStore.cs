using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace InferenceServer.Security;

/// <summary>
/// The accepted API keys, held only as SHA-256 hashes. A presented key is hashed and compared with every stored hash
/// in constant time, so neither the match nor its position leaks through timing. Keys are named in logs and rate-limit
/// partitions by <see cref="Match"/>'s id (<c>key-</c> + 8 hex digits of the hash), never by their text.
/// </summary>
internal sealed class ApiKeyStore
{
    public const string ItemKey = "api_key_id";
    private readonly byte[][] _hashes;
    private readonly string[] _ids;

    public ApiKeyStore(IOptions<ApiKeyOptions> options)
    {
        var keys = Load(options.Value);
        _hashes = [.. keys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];
        _ids = [.. _hashes.Select(h => "key-" + Convert.ToHexStringLower(h)[..8])];
    }

    public bool Enabled => _hashes.Length > 0;

    public int Count => _hashes.Length;

    /// <summary>The id of the key presented, or null when it matches none.</summary>
    public string? Match(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        string? id = null;
        for (var i = 0; i < _hashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, _hashes[i]))
            {
                id ??= _ids[i];
            }
        }

        return id;
    }

    internal static List<string> Load(ApiKeyOptions options)
    {
        var keys = options.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).ToList();
        if (!string.IsNullOrWhiteSpace(options.KeysFile))
        {
            keys.AddRange(File.ReadAllLines(options.KeysFile)
                .Select(l => l.Trim())
                .Where(l => l.Length > 0 && !l.StartsWith('#')));
        }

        return keys;
    }
}
