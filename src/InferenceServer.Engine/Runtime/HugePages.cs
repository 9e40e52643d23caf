using System.Globalization;
using System.Runtime.InteropServices;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Puts the memory a model load allocated (the weights, as ONNX Runtime prepacked them) on transparent huge pages
/// (Linux). A decode step of one sequence streams every weight once: on 4 KiB pages each page costs a TLB entry and
/// the hardware prefetchers stop at every page boundary; on 2 MiB pages the same step is faster (README, serving
/// benchmark). Kernels in the usual <c>madvise</c> mode give huge pages only to ranges that ask for them, so this asks
/// (<c>MADV_HUGEPAGE</c>) and collapses the pages already there (<c>MADV_COLLAPSE</c>, Linux 6.1 and later).
/// </summary>
internal static partial class HugePages
{
    private const long HugePageSize = 2L << 20;
    private const int MadvHugePage = 14;
    private const int MadvCollapse = 25;

    /// <summary>The process's private anonymous writable mappings (empty where there is no <c>/proc/self/maps</c>).</summary>
    public static HashSet<(long Start, long End)> Snapshot()
    {
        var regions = new HashSet<(long, long)>();
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/maps"))
        {
            return regions;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                if (ParseAnonymous(line) is { } region)
                {
                    regions.Add(region);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Huge pages are an optimisation: without the map, the load goes on as it is.
            regions.Clear();
        }

        return regions;
    }

    /// <summary>
    /// Asks for huge pages on every anonymous mapping that appeared or changed since <paramref name="before"/>;
    /// returns the bytes now backed by huge pages (0 where the kernel cannot: not Linux, THP <c>never</c>, before 6.1).
    /// </summary>
    public static long AdviseNewRegions(HashSet<(long Start, long End)> before)
    {
        long bytes = 0;
        foreach (var (start, end) in Snapshot())
        {
            var alignedStart = (start + HugePageSize - 1) & ~(HugePageSize - 1);
            var alignedEnd = end & ~(HugePageSize - 1);
            if (before.Contains((start, end)) || alignedEnd - alignedStart < HugePageSize)
            {
                continue;
            }

            var length = (nuint)(alignedEnd - alignedStart);
            if (Madvise((nint)alignedStart, length, MadvHugePage) == 0 && Madvise((nint)alignedStart, length, MadvCollapse) == 0)
            {
                bytes += alignedEnd - alignedStart;
            }
        }

        return bytes;
    }

    /// <summary>"start-end perms offset dev inode [path]": anonymous mappings have inode 0 and no path (or <c>[heap]</c>).</summary>
    internal static (long Start, long End)? ParseAnonymous(string line)
    {
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[1] != "rw-p" || fields[4] != "0")
        {
            return null;
        }

        if (fields.Length == 6 && fields[5].Trim() is { Length: > 0 } path && path != "[heap]")
        {
            return null;
        }

        var range = fields[0].Split('-');
        return (long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
