using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using InferenceServer.Errors;
using Microsoft.Extensions.Options;

namespace InferenceServer.Images;

/// <summary>
/// Keeps <c>response_format: url</c> images on disk under unguessable names (256 random bits) for
/// <c>Images:UrlLifetimeMinutes</c>, then deletes them. Names are checked against the exact pattern the store
/// writes, so no request can reach a path outside it. Time comes from <see cref="TimeProvider"/>. A file is written
/// under a temporary name and renamed when complete, so a full or read-only folder never leaves a half-written image
/// behind a URL; such a request gets a 507 and the rest of the server goes on.
/// </summary>
public sealed partial class ImageStore : IDisposable
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly ITimer _sweeper;
    private readonly bool _ownsDirectory;
    private readonly ILogger<ImageStore> _logger;

    public ImageStore(IOptions<ImageOptions> options, TimeProvider time, ILogger<ImageStore> logger)
    {
        _time = time;
        _logger = logger;
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
        var partial = Path.Combine(Directory, name + PartialSuffix);
        try
        {
            await File.WriteAllBytesAsync(partial, bytes, cancellationToken);
            File.Move(partial, Path.Combine(Directory, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(partial);
            LogStoreFailed(_logger, Directory, e.Message);
            throw Unavailable(e);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }

        _expiries[name] = _time.GetUtcNow() + _lifetime;
        return name;
    }

    /// <summary>Removes files this request stored before a later image of it failed: no URL will name them.</summary>
    public void Forget(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            Delete(name);
        }
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

    /// <summary>
    /// Files a previous run left in a configured folder: their URLs died with that run's index, and a partial file is
    /// a write that a crash cut short.
    /// </summary>
    private void RemoveOrphans()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(file);
            if (StoredName().IsMatch(name) || (name.EndsWith(PartialSuffix, StringComparison.Ordinal) && StoredName().IsMatch(name[..^PartialSuffix.Length])))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>507: the folder is full (ENOSPC) or cannot be written (read-only, removed); base64 output still works.</summary>
    private static ApiException Unavailable(Exception e)
    {
        const int NoSpace = 28;
        var full = e.HResult == NoSpace;
        var message = full
            ? "The server's image store is full, so no image URL can be made now. Ask for response_format b64_json, or retry later."
            : "The server's image store cannot be written right now, so no image URL can be made. Ask for response_format b64_json, or retry later.";
        return new ApiException(StatusCodes.Status507InsufficientStorage, message, "server_error", "response_format", full ? "storage_full" : "storage_unavailable");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only folder keeps nothing we could delete; a partial file there is removed at the next start.
        }
    }

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Could not store an image in {Directory}: {Reason}; url requests get 507 until it can be written")]
    private static partial void LogStoreFailed(ILogger logger, string directory, string reason);

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

    private const string PartialSuffix = ".partial";

    [GeneratedRegex("^[0-9a-f]{64}\\.(png|jpeg|webp)$")]
    private static partial Regex StoredName();
}
