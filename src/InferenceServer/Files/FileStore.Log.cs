namespace InferenceServer.Files;

public sealed partial class FileStore
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Files: {Count} stored files ({Bytes} bytes) in {Directory}")]
    private static partial void LogLoaded(ILogger logger, int count, long bytes, string directory);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Files: skipped the damaged metadata file {Path}: {Reason}")]
    private static partial void LogDamaged(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Files: stored {FileId} ({Bytes} bytes, purpose {Purpose})")]
    private static partial void LogStored(ILogger logger, string fileId, long bytes, string purpose);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Files: deleted {Count} expired files")]
    private static partial void LogSwept(ILogger logger, int count);
}
