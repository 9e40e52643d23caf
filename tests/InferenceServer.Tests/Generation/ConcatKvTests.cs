using Google.Protobuf;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;
using InferenceServer.Tests.ModelForge;
using Onnx;

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
    public void ADecoderThatRunsInNeitherLayoutStopsTheLoadWithBothReasons()
    {
        // The PositionIds export with one more required input, which the server never binds: both first steps fail.
        using var temp = new TempModelFolder();
        var source = DemoModels.EnsureRandom(SchedulerFixture.Cache, RandomVariant.PositionIds);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        }

        var path = Path.Combine(temp.Path, "model.onnx");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        // logits = logits_raw + never_bound × 0: the input is needed for the one output the server reads.
        model.Graph.Node.Single(n => n.Output.Contains("logits")).Output[0] = "logits_raw";
        model.Graph.Input.Add(new ValueInfoProto
        {
            Name = "never_bound",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
        });
        var zero = new TensorProto { Name = "never_bound_zero", DataType = (int)TensorProto.Types.DataType.Float };
        zero.FloatData.Add(0f);
        model.Graph.Initializer.Add(zero);
        model.Graph.Node.Add(new NodeProto { OpType = "Mul", Input = { "never_bound", "never_bound_zero" }, Output = { "never_bound_0" } });
        model.Graph.Node.Add(new NodeProto { OpType = "Add", Input = { "logits_raw", "never_bound_0" }, Output = { "logits" } });
        File.WriteAllBytes(path, model.ToByteArray());

        var e = Assert.Throws<ModelLoadException>(() => TextModelLoader.Load(
            new ModelOptions { Id = "broken", Path = temp.Path, MaxConcurrentSequences = 1, MaxContextLength = 256 },
            new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false })));
        Assert.Contains("Model 'broken': a first step through", e.Message, StringComparison.Ordinal);
        Assert.Contains("neither over a shared past/present buffer (", e.Message, StringComparison.Ordinal);
        Assert.Contains(") nor with present concatenated after past (", e.Message, StringComparison.Ordinal);
        Assert.Contains("never_bound", e.Message, StringComparison.Ordinal);
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
