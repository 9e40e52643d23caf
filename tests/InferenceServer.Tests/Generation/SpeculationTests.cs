using System.Text;
using System.Text.Json;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Demo;
using InferenceServer.ModelForge.Llama2c;

namespace InferenceServer.Tests.Generation;

/// <summary>
/// Prompt-lookup speculative decoding changes no output: every event a request gets (text deltas, logprobs, tool-call
/// deltas, the finish with its reason and usage) is the same with speculation on as off, on the copy-heavy quote
/// model, the scripted demo model (loops, tool calls, JSON, stop strings, logprobs, max_tokens), the random model and
/// the real stories260K, while speculation does accept drafted tokens; sampled rows do not speculate; a row whose
/// drafts miss drafts shorter.
/// </summary>
public sealed class SpeculationTests
{
    [Fact]
    public async Task TheQuoteModelQuotesItsPromptExactlyAndMostDraftsAreAccepted()
    {
        var folder = DemoModels.EnsureQuote(SchedulerFixture.Cache, benchSize: false);
        var user = $"Here is the text:{QuoteScript.Passage}. Now{QuoteScript.Trigger} it with the fixes.";
        var off = await RunAsync(folder, false, model => [Chat(model, user, 128)]);
        var recorder = new SpeculationRecorder();
        var on = await RunAsync(folder, true, model => [Chat(model, user, 128)], recorder);

        Assert.Equal(off, on);
        Assert.Equal(QuoteScript.Quoted, Text(on[0]));
        // 100 tokens in far fewer runs: only the two edits (and the first token) miss.
        Assert.True(recorder.Accepted >= 80, $"accepted {recorder.Accepted} of {recorder.Drafted}");
        Assert.True(recorder.Verifications <= 25, $"{recorder.Verifications} verification runs");
    }

    [Fact]
    public async Task ScriptedRepliesWithToolCallsStopStringsLogprobsAndLimitsAreUnchanged()
    {
        var folder = DemoModels.EnsureScripted(SchedulerFixture.Cache);
        Func<TextModel, GenerationRequest[]> requests = model =>
        [
            Chat(model, "forever", 60),
            Chat(model, "forever", 41) with { TopLogprobs = 3 },
            Chat(model, "forever", 200) with { StopStrings = [" tock tick tock tick"] },
            Chat(model, "weather", 200) with { ParseToolCalls = true },
            Chat(model, "clock", 200) with { ParseToolCalls = true, TopLogprobs = 2 },
            Chat(model, "json", 200),
            Chat(model, "pretty", 200) with { TopLogprobs = 1 },
            Chat(model, "Hello", 200),
            Chat(model, "Hello", 7),
            Chat(model, "forecast", 200) with { ParseToolCalls = true },
        ];
        var off = await RunAsync(folder, false, requests);
        var recorder = new SpeculationRecorder();
        var on = await RunAsync(folder, true, requests, recorder);

        for (var i = 0; i < off.Count; i++)
        {
            for (var j = 0; j < Math.Min(off[i].Count, on[i].Count); j++)
            {
                Assert.True(off[i][j] == on[i][j], $"request {i} event {j}:\n{off[i][j]}\n{on[i][j]}");
            }

            Assert.Equal(off[i], on[i]);
        }

        Assert.True(recorder.Accepted > 40, $"accepted {recorder.Accepted} of {recorder.Drafted}");
        Assert.Contains(on[3], e => e.StartsWith(nameof(ToolCallDelta), StringComparison.Ordinal));
        Assert.Contains(on[1], e => e.StartsWith(nameof(TokenLogprobs), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RandomWeightsGiveTheirPlainGreedyTokensOverManyPrompts()
    {
        var folder = DemoModels.EnsureRandom(SchedulerFixture.Cache);
        string[] prompts =
        [
            "Hi", "x", "What is a cat?", "Tell me about the weather in Paris today", "Explain batching in one sentence, please",
            "the the the the", "a b a b a b a b", "Hello Hello Hello", "numbers 1 2 3 4 5 6 7 8 9", "InferenceServer demo model",
            string.Join(' ', Enumerable.Repeat("many words make a long prompt", 6)), "repeat after me: one two three one two three",
        ];
        var off = await RunAsync(folder, false, model => [.. prompts.Select(p => Chat(model, p, 48))]);
        var recorder = new SpeculationRecorder();
        var on = await RunAsync(folder, true, model => [.. prompts.Select(p => Chat(model, p, 48))], recorder);

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(off[i], on[i]);
        }

        Assert.True(recorder.Drafted > 0);

        // Random weights reject most drafts, so the rows' draft limits fall to what was accepted plus one: the verify
        // runs stay short (about 7 tokens each with a fixed limit of 8).
        Assert.True(recorder.Drafted <= 4 * recorder.Verifications, $"{recorder.Drafted} tokens drafted in {recorder.Verifications} verification runs");
    }

    [Fact]
    public async Task Stories260KGivesItsPlainGreedyStoriesAndRepeatsEnoughToAccept()
    {
        var folder = Stories260K.Ensure(SchedulerFixture.Cache);
        string[] prompts =
        [
            "Once upon a time", "The cat", "Tom had a red ball", "One day, Lily went to the park", "The dog was sad",
            "Sam and his mom", "There was a big tree", "The little bird", "Anna liked to paint", "It was a sunny day",
            "Ben found a box", "The sun", "Max wanted a cookie", "Mia and Tim played", "A girl named Sue", "The boat",
        ];
        Func<TextModel, GenerationRequest[]> requests = model =>
            [.. prompts.Select(p => new GenerationRequest([1, .. model.Tokenizer.Encode(p)], 160, SamplingOptions.Greedy, [], false))];
        var off = await RunAsync(folder, false, requests, context: 512);
        var recorder = new SpeculationRecorder();
        var on = await RunAsync(folder, true, requests, recorder, context: 512);

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(off[i], on[i]);
        }

        Assert.True(recorder.Accepted > 0, $"accepted {recorder.Accepted} of {recorder.Drafted}");
    }

    [Fact]
    public async Task SampledRowsDoNotSpeculate()
    {
        var folder = DemoModels.EnsureScripted(SchedulerFixture.Cache);
        var recorder = new SpeculationRecorder();
        var sampled = new SamplingOptions(Temperature: 1f, Seed: 7);
        var on = await RunAsync(folder, true, model => [Chat(model, "forever", 60) with { Sampling = sampled }], recorder);

        Assert.Equal(0, recorder.Verifications);
        Assert.Contains(" tick tock tick tock", Text(on[0]), StringComparison.Ordinal);
    }

    private static GenerationRequest Chat(TextModel model, string user, int maxTokens) => SchedulerFixture.Greedy(model, user, maxTokens);

    /// <summary>Runs the requests one after another (single stream, where speculation is on by default); each request's events as JSON lines.</summary>
    private static async Task<List<List<string>>> RunAsync(string folder, bool speculate, Func<TextModel, GenerationRequest[]> requests,
        IServingObserver? observer = null, int context = SchedulerFixture.Context)
    {
        using var model = TextModelLoader.Load(
            new ModelOptions
            {
                Id = "m",
                Path = folder,
                MaxContextLength = context,
                MaxConcurrentSequences = 2,
                PrefixCacheMiB = 0,
                Speculation = speculate ? new SpeculationOptions() : new SpeculationOptions { MaxDraftTokens = 0 },
            },
            new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false }),
            observer);
        var results = new List<List<string>>();
        foreach (var request in requests(model))
        {
            using var handle = model.Submit(request, CancellationToken.None);
            var events = new List<string>();
            await foreach (var e in handle.ReadAllAsync(CancellationToken.None))
            {
                events.Add(Json(e));
            }

            results.Add(events);
        }

        return results;
    }

    /// <summary>An event as a comparable line; a tool call's id is random per call, so it is left out.</summary>
    private static string Json(GenerationEvent e) =>
        e.GetType().Name + " " + (e is ToolCallDelta t ? JsonSerializer.Serialize(t with { Id = null }) : JsonSerializer.Serialize(e, e.GetType()));

    private static string Text(List<string> events)
    {
        var text = new StringBuilder();
        foreach (var line in events.Where(l => l.StartsWith(nameof(TextDelta) + " ", StringComparison.Ordinal)))
        {
            var d = JsonSerializer.Deserialize<TextDelta>(line[(nameof(TextDelta).Length + 1)..])!;
            text.Append(d.Reasoning).Append(d.Content);
        }

        return text.ToString();
    }
}
