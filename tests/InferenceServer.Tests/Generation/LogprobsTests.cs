using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;
using InferenceServer.Tests.ModelForge;

namespace InferenceServer.Tests.Generation;

/// <summary>The logprobs a generation reports are the log-softmax of the model's logits, computed here straight from ONNX Runtime.</summary>
public sealed class LogprobsTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "inferenceserver-unit-models");

    [Fact]
    public async Task ReportedLogprobsEqualALogSoftmaxOfADirectForwardPass()
    {
        var folder = DemoModels.EnsureRandom(Cache);
        using var model = TextModelLoader.Load(new ModelOptions { Id = "random", Path = folder, MaxContextLength = 256 },
            new SessionFactory(new ExecutionProfileOptions()));
        var prompt = model.Tokenizer.Encode(model.Template.Render([new ChatMessage("user", "Tell me a story")], thinking: false).Text);
        var request = new GenerationRequest(prompt, 12, SamplingOptions.Greedy, [], StartsInsideThinking: false) { TopLogprobs = 5 };
        var reported = new List<TokenLogprobs>();
        await foreach (var e in model.GenerateAsync(request, CancellationToken.None))
        {
            if (e is TokenLogprobs l)
            {
                reported.Add(l);
            }
        }

        Assert.NotEmpty(reported);
        using var direct = new OrtGreedyDecoder(folder);
        var sequence = prompt.Concat(reported.Select(r => r.Chosen.Token)).ToArray();
        var all = direct.PrefillLogits(sequence);
        var vocab = direct.VocabSize;
        for (var i = 0; i < reported.Count; i++)
        {
            var row = all.AsSpan((prompt.Length - 1 + i) * vocab, vocab);
            var logZ = LogSumExp(row);
            var r = reported[i];
            Assert.Equal(row[r.Chosen.Token] - logZ, r.Chosen.Logprob, 3);
            Assert.Equal(5, r.Top.Count);
            Assert.Equal(r.Chosen, r.Top[0]);
            for (var k = 0; k < r.Top.Count; k++)
            {
                Assert.Equal(row[r.Top[k].Token] - logZ, r.Top[k].Logprob, 3);
                Assert.True(k == 0 || r.Top[k].Logprob <= r.Top[k - 1].Logprob);
            }
        }
    }

    private static float LogSumExp(ReadOnlySpan<float> row)
    {
        var max = float.NegativeInfinity;
        foreach (var v in row)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        foreach (var v in row)
        {
            sum += Math.Exp(v - max);
        }

        return max + (float)Math.Log(sum);
    }
}
