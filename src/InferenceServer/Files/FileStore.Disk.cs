using System.Text.Json;

namespace InferenceServer.Files;

/// <summary>Sidecar files: written atomically, read back at start; damaged ones are skipped with a warning.</summary>
public sealed partial class FileStore
{
    private static readonly JsonSerializerOptions SidecarJson = new(JsonSerializerDefaults.Web);

    private void WriteSidecar(StoredFile file)
    {
        var temp = SidecarPath(file.Id) + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, file, SidecarJson);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, SidecarPath(file.Id), overwrite: true);
    }

    private void Load()
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) || name.EndsWith(".json.tmp", StringComparison.Ordinal))
            {
                TryDelete(path); // an upload or sidecar write that a stop cut short
            }
            else if (name.EndsWith(".bin", StringComparison.Ordinal) && FileIds.IsValid(name[..^4]) && !File.Exists(SidecarPath(name[..^4])))
            {
                TryDelete(path); // bytes whose sidecar was never written (or was deleted first)
            }
            else if (name.EndsWith(".json", StringComparison.Ordinal) && FileIds.IsValid(name[..^5]))
            {
                LoadSidecar(path, name[..^5]);
            }
        }

        Sweep();
        LogLoaded(_logger, _files.Count, UsedBytes, Directory);
    }

    private void LoadSidecar(string path, string id)
    {
        StoredFile? file;
        try
        {
            file = JsonSerializer.Deserialize<StoredFile>(File.ReadAllBytes(path), SidecarJson);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException or UnauthorizedAccessException)
        {
            LogDamaged(_logger, path, e.Message);
            return;
        }

        var content = new FileInfo(ContentPath(id));
        if (file is null || file.Id != id || file.Owner is null || file.Filename is null || file.Purpose is null || file.ContentType is null)
        {
            LogDamaged(_logger, path, "fields are missing or the id does not match the file name");
        }
        else if (!content.Exists || content.Length != file.Bytes)
        {
            LogDamaged(_logger, path, $"its content file {content.Name} is missing or not {file.Bytes} bytes");
        }
        else
        {
            _files[id] = file;
            Interlocked.Add(ref _usedBytes, file.Bytes);
            _lastCreatedMs = Math.Max(_lastCreatedMs, file.CreatedAtMs);
        }
    }
}
