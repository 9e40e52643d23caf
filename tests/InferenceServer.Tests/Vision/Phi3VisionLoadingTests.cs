using InferenceServer.Engine.Images;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Vision;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Tests.Vision;

/// <summary>What a phi3v folder gives where it cannot be used, and prompts whose placeholders do not match the images.</summary>
public sealed class Phi3VisionLoadingTests : IClassFixture<Phi3VisionFixture>
{
    private readonly Phi3VisionFixture _fixture;

    public Phi3VisionLoadingTests(Phi3VisionFixture fixture) => _fixture = fixture;

    [Fact]
    public void ServingItAsATextModelSaysWhatTheFolderIs()
    {
        var sessions = new SessionFactory(new ExecutionProfileOptions());
        var e = Assert.Throws<ModelLoadException>(() => TextModelLoader.Load(new ModelOptions { Id = "vision", Path = _fixture.Folder }, sessions));
        Assert.Contains("phi3v (vision-language) folder", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<|image_2|>", 1)]
    [InlineData("<|image_0|>", 1)]
    [InlineData("<|image_1|>", 2)]
    [InlineData("no placeholder", 1)]
    public void PlaceholdersMustNameEachImageOnce(string prompt, int images)
    {
        using var options = new SessionOptions();
        using var model = Phi3VisionModel.Load(_fixture.Folder, options);
        var picture = new RgbImage(2, 2, new byte[12]);
        Assert.Throws<ArgumentException>(() => model.Prepare(prompt, Enumerable.Repeat(picture, images).ToArray()));
    }

    [Fact]
    public void AFolderOfAnotherTypeIsNotReadAsPhi3v()
    {
        var e = Assert.Throws<ModelLoadException>(() => Phi3VisionConfig.Load(Path.Combine(_fixture.Folder, "missing")));
        Assert.Contains("genai_config.json", e.Message, StringComparison.Ordinal);
    }
}
