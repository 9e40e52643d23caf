using System.Diagnostics;
using System.Globalization;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// A small tmpfs mounted at a fresh temporary folder: a disk that really fills up (ENOSPC) and that can be remounted
/// read-only (EROFS) under a running server. Needs the right to mount (root, as CI runs); <see cref="Available"/>
/// says whether this machine gives it.
/// </summary>
public sealed class ScratchMount : IDisposable
{
    private ScratchMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Whether a tmpfs can be mounted here (tried once per test run).</summary>
    public static bool Available { get; } = Probe();

    public static ScratchMount Create(int kibibytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "inferenceserver-scratch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={kibibytes}k"), "tmpfs", path);
        return new ScratchMount(path);
    }

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    /// <summary>Fills the free space with one file (so the next write gets ENOSPC); returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Create);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return filler;
    }

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Path);
            Directory.Delete(Path);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Best effort: a temp folder left mounted goes with the machine.
        }
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            using var probe = Create(64);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run {program}.");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', info.ArgumentList)} failed: {error}");
        }
    }
}
