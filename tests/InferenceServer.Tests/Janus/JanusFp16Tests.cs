using InferenceServer.Engine.Images;
using InferenceServer.Engine.Janus;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge.Janus;
using InferenceServer.ModelForge.Vision;
using InferenceServer.Tests.ModelForge;
using InferenceServer.Tests.Vision;
using SkiaSharp;

namespace InferenceServer.Tests.Janus;

/// <summary>
/// onnx-community's fp16 variants take and give float16 at every graph edge: picked by <c>OnnxVariant=fp16</c>, the
/// forge folder's fp16 graphs (float16 edges over float32 insides) read pictures, keep a float16 KV, answer with the
/// colour and draw palette pictures, deterministic per seed.
/// </summary>
public sealed class JanusFp16Tests : IDisposable
{
    private readonly TempModelFolder _temp = new();
    private readonly string _folder;

    public JanusFp16Tests()
    {
        _folder = Path.Combine(_temp.Path, "janus");
        JanusModels.Write(_folder);
        JanusFp16Variant.Write(_folder);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(TestImages.Colours), MemberType = typeof(TestImages))]
    public async Task TheFp16GraphsNameTheColourOverAFloat16Kv(string colour, uint argb)
    {
        using var model = Load();
        Assert.Equal(2, model.Decoder.Kv.ElementSize); // float16 KV rows
        var (_, tokens, _) = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [TestImages.Png(new SKColor(argb), 80, 40)]);
        Assert.Equal(VisionScripts.Answer(colour), model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true));
    }

    [Fact]
    public void TheFp16GraphsDrawPalettePicturesTheSameForASeed()
    {
        using var model = Load();
        var drawing = Assert.IsType<JanusImageGenerator>(model.ImageGeneration);
        var request = new ImageGenerationRequest("a fox (forever)", 384, 384, 5);
        var first = drawing.Generate([request], CancellationToken.None)[0].Image;
        var again = drawing.Generate([request], CancellationToken.None)[0].Image;
        Assert.Equal(first.Pixels, again.Pixels);
        Assert.Equal(JanusSpec.ImageTokens, JanusImageGenerationTests.Tokens(first).Length);
    }

    private TextModel Load() => TextModelLoader.Load(
        new ModelOptions { Id = "janus-fp16", Path = _folder, OnnxVariant = JanusFp16Variant.Suffix, MaxContextLength = 8192, MaxConcurrentSequences = 2 },
        new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false }));
}
