using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge.Janus;
using InferenceServer.ModelForge.Vision;
using InferenceServer.Tests.Generation;
using InferenceServer.Tests.Vision;
using SkiaSharp;

namespace InferenceServer.Tests.Janus;

/// <summary>
/// A Janus-Pro folder is served by the same scheduler and batch decoder as text and phi3v: prepare_inputs_embeds feeds
/// the language model (whose present is past followed by the new positions, as in onnx-community's export), lm_head
/// turns its hidden states into logits, and the forge folder names the picture's colour.
/// </summary>
public sealed class JanusServingTests : IClassFixture<JanusFixture>
{
    private readonly JanusFixture _fixture;

    public JanusServingTests(JanusFixture fixture) => _fixture = fixture;

    [Fact]
    public void AJanusFolderLoadsAsAModelThatReadsImages()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        Assert.NotNull(model.Vision);
        Assert.Equal("multi_modality", model.Config.ModelType);
        // onnx-community's language_model concatenates past and present; the forge's does too.
        Assert.True(model.Decoder.ConcatKv);
    }

    [Fact]
    public async Task AConcatenatingExportsRowsAreAsWideAsTheLongestNeedNotTheContext()
    {
        // Each step attends over, and copies, the rows' whole stride: it follows the admitted prompt + max_tokens.
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var request = SchedulerFixture.Greedy(model, "Hello", 8);
        var alone = await SchedulerFixture.ReadAsync(model.Submit(request, CancellationToken.None));
        using var handle = model.Submit(request, CancellationToken.None);
        await handle.Started;
        var stride = model.Decoder.Stride;
        Assert.Equal(alone.Text, (await SchedulerFixture.ReadAsync(handle)).Text);
        Assert.Equal((request.PromptTokens.Count + 8 + 63) / 64 * 64, stride);
        Assert.True(stride < model.ContextLength / 4, $"stride {stride} of a {model.ContextLength}-token context");
    }

    [Theory]
    [MemberData(nameof(TestImages.Colours), MemberType = typeof(TestImages))]
    public async Task GreedyNamesTheColourOfThePicture(string colour, uint argb)
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var (ids, tokens, finished) = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [TestImages.Png(new SKColor(argb), 80, 40)]);
        Assert.Equal(VisionScripts.Answer(colour), model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true));
        Assert.Equal(JanusSpec.ImageTokens, ids.Count(id => id < 0));
        Assert.Equal(ids.Length, finished.Usage.PromptTokens);
    }

    [Theory]
    [InlineData(8192)] // the whole prompt in one run
    [InlineData(200)] // each image cut across chunks
    public async Task OfTwoPicturesTheLastIsNamed(int chunk)
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2, chunk: chunk);
        const string prompt = "<｜begin▁of▁sentence｜><｜User｜><|image_1|>\n<|image_2|>\nWhat colour is this?<｜Assistant｜></think>";
        var (ids, tokens, _) = await Phi3VisionServing.GreedyAsync(model, prompt, [TestImages.Png(SKColors.Red), TestImages.Png(SKColors.Blue)]);
        Assert.Equal(VisionScripts.Answer("blue"), model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true));
        Assert.Equal(2 * JanusSpec.ImageTokens, ids.Count(id => id < 0));
    }

    [Fact]
    public async Task TheSameImageHitsThePrefixCacheAndAnotherImageNever()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2, prefixMiB: 64);
        var red = TestImages.Png(new SKColor(0xFFD02020));
        var cold = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [red]);
        var warm = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [red]);
        var other = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [TestImages.Png(new SKColor(0xFF3040E0))]);

        Assert.Equal(0, cold.Finished.Usage.CachedPromptTokens);
        Assert.True(warm.Finished.Usage.CachedPromptTokens >= 512, $"{warm.Finished.Usage.CachedPromptTokens} tokens from the cache");
        Assert.Equal(cold.Tokens, warm.Tokens);
        Assert.Equal(0, other.Finished.Usage.CachedPromptTokens);
        Assert.Equal(VisionScripts.Answer("blue"), model.Tokenizer.Decode(other.Tokens.ToArray(), skipSpecialTokens: true));
    }

    [Fact]
    public async Task WithoutAPictureItGivesTheDemoAnswer()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var (_, tokens, _) = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.TextOnlyPrompt, [], maxTokens: 40);
        Assert.StartsWith("Hello! This is the InferenceServer demo model", model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpeculativeVerificationThroughTheHeadChangesNoOutput()
    {
        async Task<(string Text, GenerationFinished Finished)> RunAsync(bool speculate, IServingObserver? observer)
        {
            using var model = TextModelLoader.Load(
                new ModelOptions
                {
                    Id = "janus",
                    Path = _fixture.Folder,
                    MaxConcurrentSequences = 1,
                    PrefixCacheMiB = 0,
                    Speculation = speculate ? new SpeculationOptions() : new SpeculationOptions { MaxDraftTokens = 0 },
                },
                new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false }),
                observer);
            using var handle = model.Submit(SchedulerFixture.Greedy(model, "forever", 60), CancellationToken.None);
            return await SchedulerFixture.ReadAsync(handle);
        }

        var off = await RunAsync(false, null);
        var recorder = new SpeculationRecorder();
        var on = await RunAsync(true, recorder);
        Assert.Equal(60, off.Finished.Usage.CompletionTokens);
        Assert.Equal(off.Text, on.Text);
        Assert.True(recorder.Accepted > 0, $"accepted {recorder.Accepted} of {recorder.Drafted}");
    }

    [Theory]
    [InlineData("lm_head.onnx")]
    [InlineData("prepare_inputs_embeds.onnx")]
    [InlineData("language_model.onnx")]
    public void AFolderMissingAGraphIsRefusedNamingTheFile(string file)
    {
        using var temp = new ModelForge.TempModelFolder();
        Copy(_fixture.Folder, temp.Path);
        File.Delete(Path.Combine(temp.Path, "onnx", file));
        var e = Assert.Throws<ModelLoadException>(() => Phi3VisionServing.Load(temp.Path, slots: 1));
        Assert.Contains($"onnx/{file}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmbeddingGraphWithoutJanussInputsIsRefusedNamingTheInput()
    {
        using var temp = new ModelForge.TempModelFolder();
        Copy(_fixture.Folder, temp.Path);
        var phi3v = Path.Combine(temp.Path, "phi3v");
        Phi3VisionModels.Write(phi3v);
        File.Copy(Path.Combine(phi3v, Phi3VisionModels.EmbeddingFileName), Path.Combine(temp.Path, JanusModels.PrepareInputsEmbedsFile), overwrite: true);
        var e = Assert.Throws<ModelLoadException>(() => Phi3VisionServing.Load(temp.Path, slots: 1));
        Assert.Contains("prepare_inputs_embeds.onnx' has no input 'pixel_values'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVariantReadsTheGraphsOfItsSuffix()
    {
        using var temp = new ModelForge.TempModelFolder();
        Copy(_fixture.Folder, temp.Path);
        var options = new ModelOptions { Id = "janus", Path = temp.Path, OnnxVariant = "q4" };
        var e = Assert.Throws<ModelLoadException>(() => TextModelLoader.Load(options, new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false })));
        Assert.Contains("onnx/language_model_q4.onnx", e.Message, StringComparison.Ordinal);
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
