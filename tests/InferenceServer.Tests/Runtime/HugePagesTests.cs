using System.Runtime.InteropServices;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;
using InferenceServer.Tests.Generation;

namespace InferenceServer.Tests.Runtime;

/// <summary>Runs alone: collapsing holds the process's memory map in bursts, which would stall tests running beside it.</summary>
[Collection(nameof(HugePagesTests))]
public sealed class HugePagesTests
{
    /// <summary>Where the kernel can collapse ranges into transparent huge pages (Linux 6.1+, THP not "never").</summary>
    private static bool KernelCanCollapse =>
        OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(6, 1)
        && File.Exists("/sys/kernel/mm/transparent_hugepage/enabled")
        && !File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal);

    [Theory]
    [InlineData("7f1c00000000-7f1c04000000 rw-p 00000000 00:00 0 ", 0x7f1c00000000L, 0x7f1c04000000L)]
    [InlineData("55d0c0a00000-55d0c1e00000 rw-p 00000000 00:00 0                          [heap]", 0x55d0c0a00000L, 0x55d0c1e00000L)]
    public void AnonymousWritableMappingsAreCandidates(string line, long start, long end) =>
        Assert.Equal((start, end), HugePages.ParseAnonymous(line));

    [Theory]
    [InlineData("7f1c00000000-7f1c04000000 r--p 00000000 08:01 1234                       /usr/lib/libonnxruntime.so")]
    [InlineData("7f1c00000000-7f1c04000000 rw-p 00100000 08:01 1234                       /usr/lib/libonnxruntime.so")]
    [InlineData("7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]")]
    [InlineData("7f1c00000000-7f1c04000000 ---p 00000000 00:00 0 ")]
    public void FileBackedReadOnlyAndSpecialMappingsAreLeftAlone(string line) => Assert.Null(HugePages.ParseAnonymous(line));

    [Fact]
    public void ARegionMappedAfterTheSnapshotIsCollapsedAndOneMappedBeforeIsNot()
    {
        const nuint Size = 16 << 20;
        // The kernel merges adjacent anonymous mappings with equal flags into one; MAP_NORESERVE keeps them apart.
        var old = Map(Size, noReserve: true);
        var before = HugePages.Snapshot();
        var fresh = Map(Size, noReserve: false);
        try
        {
            var bytes = HugePages.AdviseNewRegions(before);
            if (!KernelCanCollapse)
            {
                Assert.Equal(0, bytes);
                return;
            }

            // The fresh 16 MiB mapping holds at least 7 aligned huge pages; the old one asked for nothing.
            Assert.True(bytes >= 14 << 20, $"collapsed {bytes} bytes");
            Assert.True(AnonHugePagesKb(fresh) >= 14 << 10, $"fresh: {AnonHugePagesKb(fresh)} kB on huge pages");
            Assert.Equal(0, AnonHugePagesKb(old));
        }
        finally
        {
            Unmap(old, Size);
            Unmap(fresh, Size);
        }
    }

    [Fact]
    public void TheBenchModelsWeightsGoOnHugePagesAndItsTokensDoNotChange()
    {
        var folder = DemoModels.EnsureBench(SchedulerFixture.Cache);
        string Greedy(bool hugePages, out long bytes)
        {
            using var model = TextModelLoader.Load(
                new ModelOptions { Id = "bench", Path = folder, MaxContextLength = 256, MaxConcurrentSequences = 1, PrefixCacheMiB = 0 },
                new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = hugePages }));
            bytes = model.HugePageBytes;
            using var handle = model.Submit(SchedulerFixture.Greedy(model, "Write.", 12), CancellationToken.None);
            return SchedulerFixture.ReadAsync(handle).GetAwaiter().GetResult().Text;
        }

        var on = Greedy(hugePages: true, out var onBytes);
        var off = Greedy(hugePages: false, out var offBytes);
        Assert.Equal(off, on);
        Assert.Equal(0, offBytes);
        if (KernelCanCollapse)
        {
            // 46 million fp32 weights: about 176 MiB in ranges the load allocated. How much the kernel collapses depends
            // on the free 2 MiB blocks it finds at that moment (114 MiB once in CI beside other builds), and the ranges
            // new since the load began include what tests running beside this one mapped meanwhile (290 MiB once), so
            // what holds everywhere is: whole huge pages, and some of them.
            Assert.True(onBytes >= 2L << 20 && onBytes % (2L << 20) == 0, $"{onBytes >> 20} MiB on huge pages");
        }
        else
        {
            Assert.Equal(0, onBytes);
        }
    }

    private static nint Map(nuint size, bool noReserve)
    {
        const int ProtReadWrite = 3;
        const int MapPrivateAnonymous = 0x02 | 0x20;
        const int MapNoReserve = 0x4000;
        var address = Mmap(0, size, ProtReadWrite, MapPrivateAnonymous | (noReserve ? MapNoReserve : 0), -1, 0);
        Assert.NotEqual(-1, address);
        var pages = new byte[(int)size];
        Array.Fill(pages, (byte)1);
        Marshal.Copy(pages, 0, address, pages.Length);
        return address;
    }

    private static void Unmap(nint address, nuint size) => Munmap(address, size);

    /// <summary>The AnonHugePages of the mapping that contains <paramref name="address"/>, from /proc/self/smaps.</summary>
    private static long AnonHugePagesKb(nint address)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (HugePages.ParseAnonymous(line) is { } r)
            {
                inside = r.Start <= address && address < r.End;
            }
            else if (char.IsAsciiHexDigit(line[0]) && line.Contains('-', StringComparison.Ordinal) && !line.Contains(':', StringComparison.Ordinal))
            {
                inside = false;
            }
            else if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(nint address, nuint length);
}

[CollectionDefinition(nameof(HugePagesTests), DisableParallelization = true)]
public sealed class HugePagesCollection;
