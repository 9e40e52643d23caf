using InferenceServer.Engine.Models;
using InferenceServer.ModelForge;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// DeepSeek's context caching on disk: a restarted model finds the KV of earlier prompts, with the same output, and a
/// damaged or foreign block file is a miss, never loaded.
/// </summary>
public sealed class PrefixCacheDiskTests : IDisposable
{
    private static readonly string Document = string.Join(' ', Enumerable.Range(0, 14).Select(i => $"fact{i % 7} about the stored document"));
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "inferenceserver-prefix-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task ARestartedModelReusesTheBlocksItsPredecessorWroteAndAnswersTheSame()
    {
        var (firstText, firstCached, prompt) = await RunOnceAsync();
        Assert.Equal(0, firstCached);
        Assert.True(prompt > 200);
        Assert.Equal(prompt / 64, BlockFiles().Length);

        // A new model instance (a restarted server) with an empty memory tier.
        var (text, cached, _) = await RunOnceAsync();
        Assert.Equal((prompt - 1) / 64 * 64, cached);
        Assert.Equal(firstText, text);
    }

    [Fact]
    public async Task DamagedBlockFilesAreMissesAndAreReplaced()
    {
        var (reference, _, prompt) = await RunOnceAsync();
        var files = BlockFiles();
        Assert.True(files.Length >= 3);

        // Every file damaged one of three ways (torn short, a flipped KV byte, emptied): none of them may be loaded.
        for (var i = 0; i < files.Length; i++)
        {
            var bytes = File.ReadAllBytes(files[i]);
            if (i % 3 == 0)
            {
                File.WriteAllBytes(files[i], bytes[..(bytes.Length / 2)]);
            }
            else if (i % 3 == 1)
            {
                bytes[bytes.Length / 2] ^= 0x40;
                File.WriteAllBytes(files[i], bytes);
            }
            else
            {
                File.WriteAllBytes(files[i], []);
            }
        }

        var leftover = Path.Combine(Path.GetDirectoryName(files[0])!, "0123456789abcdef.kvblock.0.tmp");
        File.WriteAllText(leftover, "left by a crash");

        var (text, cached, _) = await RunOnceAsync();
        Assert.Equal(0, cached);
        Assert.Equal(reference, text);
        Assert.False(File.Exists(leftover));

        // The misses were recomputed and written again, intact: the next start hits everything.
        var (again, cachedAgain, _) = await RunOnceAsync();
        Assert.Equal(reference, again);
        Assert.Equal((prompt - 1) / 64 * 64, cachedAgain);
    }

    [Fact]
    public async Task TheDiskBudgetKeepsTheMostRecentlyWrittenBlocks()
    {
        // A block file of the random model holds 64 KiB of KV; 1 MiB keeps 15 of them, whatever 24 prompts wrote.
        for (var i = 0; i < 6; i++)
        {
            using var model = SchedulerFixture.RandomOnDisk(_directory, diskMiB: 1);
            using var handle = model.Submit(SchedulerFixture.Greedy(model, $"{i} " + Document, 1), CancellationToken.None);
            await SchedulerFixture.ReadAsync(handle);
        }

        var files = BlockFiles();
        Assert.InRange(files.Length, 1, 15);
        Assert.True(files.Sum(f => new FileInfo(f).Length) <= 1 << 20);
    }

    [Fact]
    public async Task AnotherBuildOfTheModelDoesNotReadTheseBlocks()
    {
        var (reference, _, _) = await RunOnceAsync();

        // The same files, rewritten later (a re-export): another build, so another directory and no hits.
        var copy = Path.Combine(_directory, "model-copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(DemoModels.EnsureRandom(SchedulerFixture.Cache)))
        {
            var target = Path.Combine(copy, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddDays(1));
        }

        using var rebuilt = TextModelLoader.Load(
            new ModelOptions { Id = "m", Path = copy, MaxContextLength = 1024, MaxConcurrentSequences = 1, PrefixCacheDirectory = _directory },
            new Engine.Runtime.SessionFactory(new Engine.Runtime.ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false }));
        using var handle = rebuilt.Submit(SchedulerFixture.Greedy(rebuilt, Document, 12), CancellationToken.None);
        var (text, finished) = await SchedulerFixture.ReadAsync(handle);
        Assert.Equal(0, finished.Usage.CachedPromptTokens);
        Assert.Equal(reference, text);
    }

    private async Task<(string Text, int Cached, int PromptTokens)> RunOnceAsync()
    {
        using var model = SchedulerFixture.RandomOnDisk(_directory);
        var request = SchedulerFixture.Greedy(model, Document, 12);
        using var handle = model.Submit(request, CancellationToken.None);
        var (text, finished) = await SchedulerFixture.ReadAsync(handle);
        return (text, finished.Usage.CachedPromptTokens, request.PromptTokens.Count);
    }

    private string[] BlockFiles() => Directory.EnumerateFiles(_directory, "*.kvblock", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
}
