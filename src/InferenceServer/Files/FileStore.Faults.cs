using InferenceServer.Errors;

namespace InferenceServer.Files;

/// <summary>
/// A disk that is full (ENOSPC) or cannot be written (read-only, gone): the request that writes gets a 507 envelope,
/// nothing it wrote is left behind or ever listed, and everything that only reads goes on as before.
/// </summary>
public sealed partial class FileStore
{
    private const int NoSpace = 28; // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT
    private int _sweepFailing;

    /// <summary>Appends a chunk of an upload to its temp file.</summary>
    public async ValueTask WriteTempAsync(FileStream stream, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(chunk, cancellationToken);
        }
        catch (Exception e) when (IsDiskFault(e))
        {
            throw Unwritable(e, "store an upload");
        }
    }

    /// <summary>
    /// Puts the whole upload on the disk before it is committed, so that a sidecar never names bytes a power cut could
    /// take (a killed process alone would lose nothing: its writes are in the page cache).
    /// </summary>
    public void FinishTemp(FileStream stream)
    {
        try
        {
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (IsDiskFault(e))
        {
            throw Unwritable(e, "store an upload");
        }
    }

    private static bool IsDiskFault(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>507, with one code for a full disk and another for one that cannot be written at all.</summary>
    private ApiException Unwritable(Exception e, string action)
    {
        var full = e.HResult is NoSpace or QuotaExceeded;
        LogWriteFailed(_logger, Directory, e.Message);
        var message = full
            ? $"The server's file storage disk is full, so it cannot {action} now. Stored files can still be listed and "
              + "downloaded; retry later (the operator needs to free space in Files:Directory)."
            : $"The server's file storage cannot be written right now (read-only or unavailable), so it cannot {action}. "
              + "Stored files can still be listed and downloaded; retry later.";
        return new ApiException(StatusCodes.Status507InsufficientStorage, message, "server_error", null, full ? "storage_full" : "storage_unavailable");
    }

    /// <summary>One warning when sweeps start failing, one line when they work again; nothing in between.</summary>
    private void NoteSweep(Exception? fault)
    {
        if (fault is not null)
        {
            if (Interlocked.Exchange(ref _sweepFailing, 1) == 0)
            {
                LogSweepFailed(_logger, Directory, fault.Message);
            }
        }
        else if (Interlocked.Exchange(ref _sweepFailing, 0) == 1)
        {
            LogSweepRecovered(_logger, Directory);
        }
    }

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Files: could not write to {Directory}: {Reason}; uploads get 507 until it can be written")]
    private static partial void LogWriteFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Files: could not delete {FileId} from {Directory}: {Reason}; the file is kept and the request gets 507")]
    private static partial void LogDeleteFailed(ILogger logger, string fileId, string directory, string reason);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Files: the sweep cannot delete expired files from {Directory}: {Reason}; they stay hidden and are retried every sweep (no further warning until it works)")]
    private static partial void LogSweepFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information, Message = "Files: the sweep can delete expired files from {Directory} again")]
    private static partial void LogSweepRecovered(ILogger logger, string directory);
}
