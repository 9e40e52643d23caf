using InferenceServer.ModelForge.Vision;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>
/// The forge phi3v folder is a real GenAI multimodal model: ONNX Runtime GenAI 0.18's own <c>MultiModalProcessor</c>
/// (the Phi-3 HD transform of onnxruntime-extensions) and <c>Generator</c> load it and name each picture's colour.
/// </summary>
public sealed class Phi3VisionGenAiTests : IClassFixture<Phi3VisionFixture>
{
    private readonly Phi3VisionFixture _fixture;

    public Phi3VisionGenAiTests(Phi3VisionFixture fixture) => _fixture = fixture;

    [Theory]
    [MemberData(nameof(TestImages.Colours), MemberType = typeof(TestImages))]
    public void GenAiNamesTheColourOfThePicture(string colour, uint argb)
    {
        var png = TestImages.Png(new SKColor(argb));
        var text = GenAiPhi3Vision.Generate(_fixture.Folder, Phi3VisionFixture.Prompt, [png], steps: 16).Text;
        Assert.Equal(VisionScripts.Answer(colour), text);
    }

    [Fact]
    public void WithoutAPictureGenAiGivesTheDemoAnswer()
    {
        var text = GenAiPhi3Vision.Generate(_fixture.Folder, Phi3VisionFixture.TextOnlyPrompt, [], steps: 40).Text;
        Assert.StartsWith("Hello! This is the InferenceServer demo model", text, StringComparison.Ordinal);
    }
}
