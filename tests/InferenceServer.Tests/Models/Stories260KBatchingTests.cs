using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge.Llama2c;
using InferenceServer.Tests.Generation;

namespace InferenceServer.Tests.Models;

/// <summary>On real weights, sixteen streams decoded together by the scheduler each get exactly their solo greedy output.</summary>
public sealed class Stories260KBatchingTests
{
    private const int MaxTokens = 64;

    private static readonly string[] Prompts =
    [
        "Once upon a time", "The cat", "Tom had a red ball", "One day, Lily went to the park", "The dog was sad",
        "Sam and his mom", "There was a big tree", "The little bird", "Anna liked to paint", "It was a sunny day",
        "Ben found a box", "The sun", "Max wanted a cookie", "Mia and Tim played", "A girl named Sue", "The boat",
    ];

    [Fact]
    public async Task SixteenConcurrentStreamsEachGetTheirSoloTokens()
    {
        string folder = Stories260K.Ensure(SchedulerFixture.Cache);
        using TextModel model = TextModelLoader.Load(
            new ModelOptions { Id = Stories260K.ServedName, Path = folder, MaxContextLength = 512, MaxConcurrentSequences = Prompts.Length, PrefixCacheMiB = 0 },
            new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false }));

        var solo = new List<(string Text, GenerationFinished Finished)>();
        foreach (string prompt in Prompts)
        {
            using SequenceHandle h = model.Submit(Request(model, prompt), CancellationToken.None);
            solo.Add(await SchedulerFixture.ReadAsync(h));
        }

        var handles = Prompts.Select(p => model.Submit(Request(model, p), CancellationToken.None)).ToList();
        var batched = await Task.WhenAll(handles.Select(SchedulerFixture.ReadAsync));
        foreach (SequenceHandle h in handles)
        {
            h.Dispose();
        }

        for (int i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(solo[i].Text, batched[i].Text);
            Assert.Equal(solo[i].Finished.Usage.CompletionTokens, batched[i].Finished.Usage.CompletionTokens);
        }

        // Real stories, not a degenerate repetition: most run the whole budget and all differ.
        Assert.True(solo.Count(s => s.Finished.Usage.CompletionTokens == MaxTokens) >= Prompts.Length / 2);
        Assert.Equal(Prompts.Length, solo.Select(s => s.Text).Distinct().Count());
    }

    private static GenerationRequest Request(TextModel model, string prompt) =>
        new([1, .. model.Tokenizer.Encode(prompt)], MaxTokens, SamplingOptions.Greedy, [], false);
}
