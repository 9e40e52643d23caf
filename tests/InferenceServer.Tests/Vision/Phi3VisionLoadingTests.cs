using InferenceServer.Engine.Images;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Vision;

namespace InferenceServer.Tests.Vision;

/// <summary>What a phi3v folder loads as, and prompts whose placeholders do not match the images.</summary>
public sealed class Phi3VisionLoadingTests : IClassFixture<Phi3VisionFixture>
{
    private readonly Phi3VisionFixture _fixture;

    public Phi3VisionLoadingTests(Phi3VisionFixture fixture) => _fixture = fixture;

    [Fact]
    public void APhi3vFolderLoadsAsAModelThatReadsImages()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 1);
        Assert.NotNull(model.Vision);
        Assert.Equal("phi3v", model.Config.ModelType);
    }

    [Fact]
    public void AFolderWithoutItsVisionGraphIsRefusedNamingTheFile()
    {
        using var temp = new ModelForge.TempModelFolder();
        foreach (var file in Directory.EnumerateFiles(_fixture.Folder))
        {
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        }

        File.Delete(Path.Combine(temp.Path, "vision.onnx"));
        var e = Assert.Throws<ModelLoadException>(() => Phi3VisionServing.Load(temp.Path, slots: 1));
        Assert.Contains("vision.onnx", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<|image_2|>", 1)]
    [InlineData("<|image_0|>", 1)]
    [InlineData("<|image_1|>", 2)]
    [InlineData("<|image_1|><|image_1|>", 1)]
    [InlineData("no placeholder", 1)]
    public void PlaceholdersMustNameEachImageOnce(string prompt, int images)
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 1);
        var picture = new RgbImage(2, 2, new byte[12]);
        Assert.Throws<ArgumentException>(() => model.Vision!.Encode(prompt, Enumerable.Repeat(picture, images).ToArray()));
    }

    [Fact]
    public void AFolderOfAnotherTypeIsNotReadAsPhi3v()
    {
        var e = Assert.Throws<ModelLoadException>(() => Phi3VisionConfig.Load(Path.Combine(_fixture.Folder, "missing")));
        Assert.Contains("genai_config.json", e.Message, StringComparison.Ordinal);
    }
}
