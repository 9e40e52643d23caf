using System.Collections.Concurrent;
using InferenceServer.Errors;
using InferenceServer.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceServer.Files;

/// <summary>
/// Uploaded files on disk: <c>{id}.bin</c> holds the bytes, <c>{id}.json</c> the metadata (written to a temp file and
/// renamed, so a reader never sees half of it). The sidecar is the commit point: a file without one was never
/// uploaded. Loaded back at start, so files survive a restart. A file belongs to the API key that uploaded it; an
/// expired file is gone for its owner at once and deleted from disk by the next sweep (time from
/// <see cref="TimeProvider"/>). All files together stay within <c>Files:MaxTotalBytes</c>. A disk that is full or
/// read-only costs only the requests that write (a 507, see <c>FileStore.Faults.cs</c>); reads go on.
/// </summary>
public sealed partial class FileStore : IHostedService, IDisposable
{
    private const string TempPrefix = ".upload-";
    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly Lock _budget = new();
    private readonly TimeProvider _time;
    private readonly ILogger<FileStore> _logger;
    private readonly ITimer _sweeper;
    private long _usedBytes;
    private long _lastCreatedMs;

    public FileStore(IOptions<FilesOptions> options, IOptions<ServerOptions> server, TimeProvider time, ILogger<FileStore> logger)
    {
        _time = time;
        _logger = logger;
        MaxFileBytes = options.Value.MaxFileBytes;
        MaxTotalBytes = options.Value.MaxTotalBytes;
        Directory = ResolveDirectory(options.Value.Directory, server.Value.ModelCacheDirectory);
        System.IO.Directory.CreateDirectory(Directory);
        Load();
        var period = TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds);
        _sweeper = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    public string Directory { get; }

    public long MaxFileBytes { get; }

    public long MaxTotalBytes { get; }

    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The default folder: <c>inferenceserver-files</c> beside the model cache.</summary>
    internal static string ResolveDirectory(string configured, string modelCache)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var cache = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelCache));
        return Path.Combine(Path.GetDirectoryName(cache) ?? cache, "inferenceserver-files");
    }

    /// <summary>A new temp file in the store's folder for an upload to stream into (same disk, so commit is a rename).</summary>
    /// <remarks>Unbuffered (the reader writes whole 80 KiB chunks), so a failed write leaves nothing for dispose to flush.</remarks>
    public (string Path, FileStream Stream) CreateTemp()
    {
        var path = Path.Combine(Directory, TempPrefix + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            return (path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous));
        }
        catch (Exception e) when (IsDiskFault(e))
        {
            throw Unwritable(e, "store an upload");
        }
    }

    /// <summary>Refuses an upload as soon as the bytes read so far would not fit in the budget.</summary>
    public void EnsureRoom(long bytes)
    {
        if (UsedBytes + bytes > MaxTotalBytes)
        {
            throw StorageFull(bytes);
        }
    }

    /// <summary>Moves a fully written temp file into the store under a new id; the budget is checked under a lock.</summary>
    public StoredFile Commit(string tempPath, string owner, string filename, string purpose, long bytes, long? expiresAfterSeconds, string contentType)
    {
        long created;
        lock (_budget)
        {
            if (_usedBytes + bytes > MaxTotalBytes)
            {
                throw StorageFull(bytes);
            }

            _usedBytes += bytes;

            // Strictly increasing, so creation order is upload order even within one millisecond.
            created = _lastCreatedMs = Math.Max(Now.ToUnixTimeMilliseconds(), _lastCreatedMs + 1);
        }

        var file = new StoredFile(FileIds.New(), owner, filename, purpose, bytes, created,
            expiresAfterSeconds is { } s ? created + (s * 1000) : null, contentType);
        try
        {
            File.Move(tempPath, ContentPath(file.Id));
            WriteSidecar(file);
        }
        catch (Exception e)
        {
            Interlocked.Add(ref _usedBytes, -bytes);
            TryDelete(SidecarPath(file.Id) + ".tmp");
            TryDelete(ContentPath(file.Id));
            throw IsDiskFault(e) ? Unwritable(e, "store an upload") : e;
        }

        _files[file.Id] = file;
        LogStored(_logger, file.Id, file.Bytes, file.Purpose);
        return file;
    }

    /// <summary>The owner's live file with this id, or null (unknown, malformed, another key's, or expired).</summary>
    public StoredFile? Find(string owner, string? id)
    {
        if (!FileIds.IsValid(id) || !_files.TryGetValue(id!, out var file) || file.Owner != owner || file.IsExpired(Now))
        {
            return null;
        }

        return file;
    }

    /// <summary>The owner's live files in creation order (ties by id), optionally of one purpose.</summary>
    public List<StoredFile> List(string owner, string? purpose, bool descending)
    {
        var now = Now;
        var files = _files.Values.Where(f => f.Owner == owner && !f.IsExpired(now) && (purpose is null || f.Purpose == purpose));
        var ordered = descending
            ? files.OrderByDescending(f => f.CreatedAtMs).ThenByDescending(f => f.Id, StringComparer.Ordinal)
            : files.OrderBy(f => f.CreatedAtMs).ThenBy(f => f.Id, StringComparer.Ordinal);
        return [.. ordered];
    }

    public FileStream OpenRead(StoredFile file) =>
        new(ContentPath(file.Id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);

    /// <summary>Deletes the owner's file; false when there is none to delete; a 507 (file kept whole) when the disk refuses.</summary>
    public bool Delete(string owner, string? id)
    {
        var file = Find(owner, id);
        if (file is null)
        {
            return false;
        }

        if (!TryRemove(file, out var fault))
        {
            LogDeleteFailed(_logger, file.Id, Directory, fault.Message);
            throw Unwritable(fault, "delete a file");
        }

        return true;
    }

    /// <summary>
    /// Deletes every expired file from disk. Never throws (it runs on a timer): files that a read-only disk keeps stay
    /// hidden, count against the budget and are tried again next sweep; one warning per streak of failing sweeps.
    /// </summary>
    public void Sweep()
    {
        var now = Now;
        var removed = 0;
        Exception? fault = null;
        foreach (var file in _files.Values)
        {
            if (file.IsExpired(now))
            {
                if (TryRemove(file, out var e))
                {
                    removed++;
                }
                else
                {
                    fault ??= e;
                }
            }
        }

        if (removed > 0)
        {
            LogSwept(_logger, removed);
        }

        NoteSweep(fault);
    }

    /// <summary>Registered as a hosted service only so that the store loads (and starts sweeping) when the server starts.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _sweeper.Dispose();

    /// <summary>
    /// The sidecar goes first, and the file leaves the index only once it is gone: a disk that refuses keeps the file
    /// whole and listed. Without its sidecar the bytes are an orphan, which the next start deletes if this cannot.
    /// </summary>
    private bool TryRemove(StoredFile file, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Exception? fault)
    {
        fault = null;
        try
        {
            File.Delete(SidecarPath(file.Id));
        }
        catch (Exception e) when (IsDiskFault(e))
        {
            fault = e;
            return false;
        }

        if (_files.TryRemove(file.Id, out _))
        {
            TryDelete(ContentPath(file.Id));
            Interlocked.Add(ref _usedBytes, -file.Bytes);
        }

        return true;
    }

    private ApiException StorageFull(long bytes) => new(StatusCodes.Status413PayloadTooLarge,
        $"The server's file storage is full: this file ({bytes} bytes so far) does not fit in the {MaxTotalBytes} bytes of "
        + $"Files:MaxTotalBytes, of which {UsedBytes} are in use. Delete files (DELETE /files/{{file_id}}) or raise Files:MaxTotalBytes.",
        "invalid_request_error", "file", "file_storage_full");

    private string ContentPath(string id) => Path.Combine(Directory, id + ".bin");

    private string SidecarPath(string id) => Path.Combine(Directory, id + ".json");

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next start's orphan cleanup.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
