using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>Continuous batching changes nothing a greedy request gets: every request in a mixed batch gets its solo output.</summary>
public sealed class SchedulerBatchingTests
{
    private static readonly string[] Prompts =
    [
        "Hi",
        "Tell me about the weather in Paris today",
        "one two three",
        string.Join(' ', Enumerable.Repeat("many words make a long prompt", 12)),
        "What is a cat?",
        "Explain batching in one sentence, please, with care and detail",
        "x",
        string.Join(' ', Enumerable.Repeat("a prompt that needs several prefill chunks", 20)),
        "The end",
    ];

    [Fact]
    public async Task NineConcurrentRequestsJoiningAtDifferentTimesGetTheirSoloTokens()
    {
        var solo = new List<(string, GenerationFinished)>();
        using (var alone = SchedulerFixture.Random(slots: 1))
        {
            foreach (var p in Prompts)
            {
                using var h = alone.Submit(SchedulerFixture.Greedy(alone, p, 24), CancellationToken.None);
                solo.Add(await SchedulerFixture.ReadAsync(h));
            }
        }

        // Four slots for nine requests, prefill chunks of 16 tokens: requests wait, join mid-stream and leave.
        using var model = SchedulerFixture.Random(slots: 4, chunk: 16);
        var requests = Prompts.Select(p => SchedulerFixture.Greedy(model, p, 24)).ToArray();
        var (handles, batched) = await SchedulerFixture.SubmitStaggeredAsync(model, requests);
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.True(solo[i].Item2.Usage.CompletionTokens > 0);
            Assert.Equal(solo[i].Item2.Usage.CompletionTokens, batched[i].Item2.Usage.CompletionTokens);
            Assert.Equal(solo[i].Item2.Reason, batched[i].Item2.Reason);
        }

        foreach (var h in handles)
        {
            h.Dispose();
        }

        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(solo[i].Item1, batched[i].Item1);
        }

        // The comparison means something only if the requests really ran for a while.
        Assert.True(solo.Count(s => s.Item2.Usage.CompletionTokens >= 10) >= Prompts.Length / 2);
    }

    [Fact]
    public async Task ChunkedPrefillGivesTheSameOutputAsOneChunk()
    {
        var prompt = string.Join(' ', Enumerable.Repeat("chunk me into small pieces", 15));
        string whole;
        using (var one = SchedulerFixture.Random(slots: 1, chunk: 1024))
        {
            using var h = one.Submit(SchedulerFixture.Greedy(one, prompt, 20), CancellationToken.None);
            whole = (await SchedulerFixture.ReadAsync(h)).Text;
        }

        using var small = SchedulerFixture.Random(slots: 1, chunk: 7);
        using var h2 = small.Submit(SchedulerFixture.Greedy(small, prompt, 20), CancellationToken.None);
        Assert.Equal(whole, (await SchedulerFixture.ReadAsync(h2)).Text);
    }
}
