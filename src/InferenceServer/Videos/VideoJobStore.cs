using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace InferenceServer.Videos;

/// <summary>
/// Video jobs on disk: <c>{id}.json</c> per job (temp + rename) beside its <c>.mp4</c>, <c>.webp</c> and <c>.jpg</c>.
/// At start, jobs are read back: completed ones are served again, queued ones run again, and those a stop cut short
/// are marked failed with the reason. A sweep deletes expired jobs and their files.
/// </summary>
public sealed partial class VideoJobStore : IHostedService, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, VideoJob> _jobs = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<VideoJobStore> _logger;
    private ITimer? _sweep;

    public VideoJobStore(IOptions<VideoOptions> options, TimeProvider time, ILogger<VideoJobStore> logger)
    {
        _time = time;
        _logger = logger;
        Directory = string.IsNullOrEmpty(options.Value.Directory)
            ? Path.Combine(Path.GetTempPath(), "inferenceserver-videos")
            : Path.GetFullPath(options.Value.Directory);
        System.IO.Directory.CreateDirectory(Directory);
        Load();
    }

    public string Directory { get; }

    /// <summary>Jobs read back as queued at start, oldest first, for the worker to run.</summary>
    public IReadOnlyList<VideoJob> Restored { get; private set; } = [];

    public long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public string PathOf(string id, string variant) => Path.Combine(Directory, id + variant switch
    {
        "thumbnail" => ".webp",
        "spritesheet" => ".jpg",
        "reference" => ".reference",
        _ => ".mp4",
    });

    public void Add(VideoJob job)
    {
        _jobs[job.Id] = job;
        Save(job);
    }

    /// <summary>The owner's job, or null; a job past its <c>expires_at</c> is gone at once, before the sweep deletes it.</summary>
    public VideoJob? Find(string owner, string id) =>
        VideoIds.IsValid(id) && _jobs.TryGetValue(id, out var job) && job.Owner == owner && !Expired(job, Now) ? job : null;

    public List<VideoJob> List(string owner, bool descending)
    {
        long now = Now;
        var mine = _jobs.Values.Where(j => j.Owner == owner && !Expired(j, now));
        return [.. descending ? mine.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.CreatedAtMs).ThenByDescending(j => j.Id) : mine.OrderBy(j => j.CreatedAt).ThenBy(j => j.CreatedAtMs).ThenBy(j => j.Id)];
    }

    /// <summary>Writes the job's state (temp + rename), unless it was deleted meanwhile.</summary>
    public void Save(VideoJob job)
    {
        var path = Path.Combine(Directory, job.Id + ".json");
        var temp = path + ".tmp";
        lock (job)
        {
            // Under the job's lock, as Remove deletes: a write that races a DELETE never leaves a file behind.
            if (!_jobs.ContainsKey(job.Id))
            {
                return;
            }

            // An operator who cleared the folder under a running server gets it back, not a worker that dies.
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(job, Json));
            File.Move(temp, path, overwrite: true);
        }
    }

    public bool Remove(string owner, string id)
    {
        if (Find(owner, id) is null || !_jobs.TryRemove(id, out var job))
        {
            return false;
        }

        lock (job)
        {
            DeleteFiles(id);
        }

        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sweep = _time.CreateTimer(_ => Sweep(), null, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _sweep?.Dispose();

    /// <summary>Deletes the jobs whose expires_at has passed, with their files.</summary>
    public void Sweep()
    {
        var now = Now;
        foreach (var job in _jobs.Values)
        {
            if (Expired(job, now) && _jobs.TryRemove(job.Id, out _))
            {
                DeleteFiles(job.Id);
                LogExpired(_logger, job.Id);
            }
        }
    }

    private static bool Expired(VideoJob job, long now) => job.ExpiresAt is { } at && at <= now;

    private void DeleteFiles(string id)
    {
        foreach (var suffix in new[] { ".json", ".mp4", ".webp", ".jpg", ".reference", ".mp4.tmp.mp4", ".webp.tmp", ".jpg.tmp" })
        {
            try
            {
                File.Delete(Path.Combine(Directory, id + suffix));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(_logger, id + suffix, e.Message);
            }
        }
    }

    private void Load()
    {
        var queued = new List<VideoJob>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "video_*.json"))
        {
            VideoJob? job;
            try
            {
                job = JsonSerializer.Deserialize<VideoJob>(File.ReadAllBytes(path), Json);
            }
            catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
            {
                LogDamaged(_logger, path, e.Message);
                continue;
            }

            if (job is null || !VideoIds.IsValid(job.Id) || Path.GetFileNameWithoutExtension(path) != job.Id)
            {
                LogDamaged(_logger, path, "the id does not match the file name");
                continue;
            }

            _jobs[job.Id] = job;
            if (job.Status == VideoStatus.InProgress)
            {
                job.Status = VideoStatus.Failed;
                job.ErrorCode = "server_restarted";
                job.ErrorMessage = "The server stopped while this video was being generated; create it again.";
                Save(job);
            }
            else if (job.Status == VideoStatus.Queued)
            {
                queued.Add(job);
            }
        }

        Restored = [.. queued.OrderBy(j => j.CreatedAt).ThenBy(j => j.CreatedAtMs)];
        LogLoaded(_logger, _jobs.Count, Restored.Count, Directory);
    }

    [LoggerMessage(EventId = 570, Level = LogLevel.Information, Message = "Video jobs: {Count} read back ({Queued} queued) from {Directory}")]
    private static partial void LogLoaded(ILogger logger, int count, int queued, string directory);

    [LoggerMessage(EventId = 571, Level = LogLevel.Warning, Message = "Skipped the damaged video job file {Path}: {Reason}")]
    private static partial void LogDamaged(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 572, Level = LogLevel.Information, Message = "Video {VideoId} expired and was deleted")]
    private static partial void LogExpired(ILogger logger, string videoId);

    [LoggerMessage(EventId = 573, Level = LogLevel.Warning, Message = "Could not delete {File}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string file, string reason);
}
