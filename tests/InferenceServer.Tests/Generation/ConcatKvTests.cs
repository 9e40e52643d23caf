using InferenceServer.ModelForge;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// A decoder whose present is past concatenated with the new positions (optimum's attention, as onnx-community's
/// exports have it) is found at load and served over the same KV rows: it gives the tokens the GroupQueryAttention
/// export of the same weights gives, alone, batched beside other requests, and from the prefix cache.
/// </summary>
public sealed class ConcatKvTests
{
    private static readonly string[] Prompts =
    [
        "Hi",
        "Tell me about the weather in Paris today",
        string.Join(' ', Enumerable.Repeat("many words make a long prompt", 6)),
        "What is a cat?",
    ];

    [Theory]
    [InlineData(RandomVariant.FusedRotary, false)]
    [InlineData(RandomVariant.PositionIds, false)]
    [InlineData(RandomVariant.Int4, false)]
    [InlineData(RandomVariant.ConcatKv, true)]
    public void TheKvLayoutIsFoundAtLoad(RandomVariant variant, bool concat)
    {
        using var model = SchedulerFixture.Random(slots: 1, variant: variant);
        Assert.Equal(concat, model.Decoder.ConcatKv);
    }

    [Fact]
    public async Task ConcatKvGivesTheTokensOfTheSharedBufferExportAloneBatchedAndCached()
    {
        var expected = new List<string>();
        using (var shared = SchedulerFixture.Random(slots: 1, variant: RandomVariant.PositionIds))
        {
            foreach (var p in Prompts)
            {
                using var h = shared.Submit(SchedulerFixture.Greedy(shared, p, 24), CancellationToken.None);
                expected.Add((await SchedulerFixture.ReadAsync(h)).Text);
            }
        }

        Assert.True(expected.Distinct().Count() > 1);
        using var model = SchedulerFixture.Random(slots: 4, chunk: 8, prefixMiB: 16, variant: RandomVariant.ConcatKv);
        // Alone (in prefill chunks of 8 after a past), then all together (batched decode steps over rows of different lengths).
        for (var i = 0; i < Prompts.Length; i++)
        {
            using var h = model.Submit(SchedulerFixture.Greedy(model, Prompts[i], 24), CancellationToken.None);
            Assert.Equal(expected[i], (await SchedulerFixture.ReadAsync(h)).Text);
        }

        var handles = Prompts.Select(p => model.Submit(SchedulerFixture.Greedy(model, p, 24), CancellationToken.None)).ToList();
        var together = await Task.WhenAll(handles.Select(SchedulerFixture.ReadAsync));
        handles.ForEach(h => h.Dispose());
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(expected[i], together[i].Text);
        }

        // The long prompt spans whole cache blocks: its second run restored them.
        Assert.True(together[2].Finished.Usage.CachedPromptTokens > 0);
    }
}
