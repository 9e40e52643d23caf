using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Vision;
using InferenceServer.Tests.ModelForge;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>
/// A GenAI phi3v folder as a GPU export has it, every graph edge in float16 (here the forge folder with float16 edges
/// over float32 arithmetic): pixels and image features cross in half precision, the KV rows are float16, and the model
/// still names the picture's colour, with the tokens ONNX Runtime GenAI 0.18 gives on the same folder.
/// </summary>
public sealed class Phi3VisionFp16Tests : IDisposable
{
    private readonly TempModelFolder _temp = new();
    private readonly string _folder;

    public Phi3VisionFp16Tests()
    {
        _folder = Path.Combine(_temp.Path, "phi3v-fp16");
        Phi3VisionModels.Write(_folder);
        foreach (var graph in Directory.GetFiles(_folder, "*.onnx"))
        {
            Fp16Edges.Rewrite(graph);
        }
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(TestImages.Colours), MemberType = typeof(TestImages))]
    public async Task AFloat16ExportNamesTheColourOverAFloat16Kv(string colour, uint argb)
    {
        using var model = Phi3VisionServing.Load(_folder, slots: 2);
        Assert.Equal(2, model.Decoder.Kv.ElementSize);
        var (_, tokens, _) = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [TestImages.Png(new SKColor(argb), 80, 40)]);
        Assert.Equal(VisionScripts.Answer(colour), model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true));
    }

    [Fact]
    public async Task GenAiGivesTheSameTokensOnTheFloat16Folder()
    {
        var png = TestImages.Png(new SKColor(0xFF3040E0), 64, 48);
        var genAi = GenAiPhi3Vision.Generate(_folder, Phi3VisionFixture.Prompt, [png], steps: 16);
        using var model = Phi3VisionServing.Load(_folder, slots: 1);
        var (_, tokens, _) = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [png]);
        Assert.Equal(genAi.Tokens.Where(t => !model.Config.EosTokenIds.Contains(t)), tokens);
        Assert.Equal(VisionScripts.Answer("blue"), genAi.Text);
    }
}
