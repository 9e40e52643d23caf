namespace InferenceServer.Tests.Generation;

/// <summary>DeepSeek's context caching, in memory: 64-token blocks from token 0, reported as hits, outputs unchanged.</summary>
public sealed class PrefixCacheTests
{
    private static readonly string Document = string.Join(' ', Enumerable.Range(0, 14).Select(i => $"fact{i % 7} about the shared document"));

    [Fact]
    public async Task ASharedPrefixIsReusedInWholeBlocksAndTheOutputIsUnchanged()
    {
        using var cached = SchedulerFixture.Random(slots: 2, prefixMiB: 64);
        var first = SchedulerFixture.Greedy(cached, Document + " Question one?", 16);
        var second = SchedulerFixture.Greedy(cached, Document + " Another question, longer?", 16);
        Assert.True(first.PromptTokens.Count > 200);

        using var h1 = cached.Submit(first, CancellationToken.None);
        var (_, f1) = await SchedulerFixture.ReadAsync(h1);
        Assert.Equal(0, f1.Usage.CachedPromptTokens);

        using var h2 = cached.Submit(second, CancellationToken.None);
        var (text, f2) = await SchedulerFixture.ReadAsync(h2);
        var shared = first.PromptTokens.Zip(second.PromptTokens).TakeWhile(p => p.First == p.Second).Count();
        Assert.Equal(shared / 64 * 64, f2.Usage.CachedPromptTokens);
        Assert.True(f2.Usage.CachedPromptTokens >= 128);

        // The same request on a model without a prefix cache gives the same tokens.
        using var plain = SchedulerFixture.Random(slots: 2, prefixMiB: 0);
        using var h3 = plain.Submit(second, CancellationToken.None);
        var (reference, f3) = await SchedulerFixture.ReadAsync(h3);
        Assert.Equal(0, f3.Usage.CachedPromptTokens);
        Assert.Equal(reference, text);
        Assert.Equal(f3.Usage.CompletionTokens, f2.Usage.CompletionTokens);
    }

    [Fact]
    public async Task AnIdenticalPromptHitsAllButItsLastPartialBlock()
    {
        using var model = SchedulerFixture.Scripted(slots: 1);
        var request = SchedulerFixture.Greedy(model, Document, 40);
        using (var h = model.Submit(request, CancellationToken.None))
        {
            await SchedulerFixture.ReadAsync(h);
        }

        using var again = model.Submit(request, CancellationToken.None);
        var (text, finished) = await SchedulerFixture.ReadAsync(again);
        Assert.Equal((request.PromptTokens.Count - 1) / 64 * 64, finished.Usage.CachedPromptTokens);
        Assert.Equal("Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.", text);
    }

    [Fact]
    public async Task TheBudgetEvictsTheLeastRecentlyUsedBlocks()
    {
        // A block of the random model is 2 layers × 2 KV heads × 32 dims × 64 tokens × 4 B × (K, V) = 64 KiB, so 1 MiB holds
        // 16 blocks; 24 prompts of 4 distinct blocks each must evict.
        using var model = SchedulerFixture.Random(slots: 1, prefixMiB: 1);
        var prompts = Enumerable.Range(0, 24).Select(i => SchedulerFixture.Greedy(model, $"{i} " + Document, 1)).ToList();
        foreach (var p in prompts)
        {
            using var h = model.Submit(p, CancellationToken.None);
            await SchedulerFixture.ReadAsync(h);
        }

        // The newest prompt is still cached; the oldest one was evicted.
        using var newest = model.Submit(prompts[^1], CancellationToken.None);
        Assert.True((await SchedulerFixture.ReadAsync(newest)).Finished.Usage.CachedPromptTokens > 0);
        using var oldest = model.Submit(prompts[0], CancellationToken.None);
        Assert.Equal(0, (await SchedulerFixture.ReadAsync(oldest)).Finished.Usage.CachedPromptTokens);
    }
}
