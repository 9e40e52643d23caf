using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace InferenceServer.Images;

/// <summary>
/// Keeps <c>response_format: url</c> images on disk under unguessable names (256 random bits) for
/// <c>Images:UrlLifetimeMinutes</c>, then deletes them. Names are checked against the exact pattern the store
/// writes, so no request can reach a path outside it. Time comes from <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class ImageStore : IDisposable
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly ITimer _sweeper;
    private readonly bool _ownsDirectory;

    public ImageStore(IOptions<ImageOptions> options, TimeProvider time)
    {
        _time = time;
        _lifetime = TimeSpan.FromMinutes(options.Value.UrlLifetimeMinutes);
        _ownsDirectory = string.IsNullOrWhiteSpace(options.Value.StoreDirectory);
        Directory = _ownsDirectory
            ? Path.Combine(Path.GetTempPath(), "inferenceserver-images", Guid.NewGuid().ToString("N"))
            : Path.GetFullPath(options.Value.StoreDirectory);
        System.IO.Directory.CreateDirectory(Directory);
        RemoveOrphans();
        var period = TimeSpan.FromMinutes(1);
        _sweeper = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    public string Directory { get; }

    /// <summary>Stores the bytes; returns the file name the URL carries (<c>{64 hex}.{ext}</c>).</summary>
    public async Task<string> SaveAsync(byte[] bytes, string extension, CancellationToken cancellationToken)
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "." + extension;
        await File.WriteAllBytesAsync(Path.Combine(Directory, name), bytes, cancellationToken);
        _expiries[name] = _time.GetUtcNow() + _lifetime;
        return name;
    }

    /// <summary>The file for <paramref name="name"/> while it is live; expired files are deleted here too.</summary>
    public bool TryGet(string name, out string path, out string contentType)
    {
        path = string.Empty;
        contentType = string.Empty;
        if (!StoredName().IsMatch(name) || !_expiries.TryGetValue(name, out var expiry))
        {
            return false;
        }

        if (_time.GetUtcNow() >= expiry)
        {
            Delete(name);
            return false;
        }

        path = Path.Combine(Directory, name);
        contentType = Path.GetExtension(name) switch
        {
            ".png" => "image/png",
            ".jpeg" => "image/jpeg",
            _ => "image/webp",
        };
        return File.Exists(path);
    }

    /// <summary>Deletes every expired file.</summary>
    public void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (name, expiry) in _expiries)
        {
            if (now >= expiry)
            {
                Delete(name);
            }
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A reader still has a file open; the OS temp cleaner gets it later.
            }
        }
    }

    /// <summary>Files a previous run left in a configured folder: their URLs died with that run's index.</summary>
    private void RemoveOrphans()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            if (StoredName().IsMatch(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }
    }

    private void Delete(string name)
    {
        _expiries.TryRemove(name, out _);
        try
        {
            File.Delete(Path.Combine(Directory, name));
        }
        catch (IOException)
        {
            // Being read right now; the next sweep cannot find it in the index, so retry by name.
            _expiries.TryAdd(name, DateTimeOffset.MinValue);
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}\\.(png|jpeg|webp)$")]
    private static partial Regex StoredName();
}
