using InferenceServer.Engine.Images;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Videos;
using InferenceServer.ModelForge.Video;

namespace InferenceServer.Tests.Videos;

/// <summary>The Wan 2.1 I2V layout in the engine, on the forge's I2V folder: what it needs, and that the picture leads the first frame.</summary>
public sealed class VideoImageToVideoPipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("i2v-pipeline").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TheFirstFrameFollowsTheReferenceAndTheSameReferenceGivesTheSameFrames()
    {
        using var pipeline = Load(imageToVideo: true);
        Assert.True(pipeline.SupportsImageInput);
        var dark = Generate(pipeline, Solid(30, 60, 200));
        var light = Generate(pipeline, Solid(220, 200, 40));
        Assert.Equal(dark.Frames, Generate(pipeline, Solid(30, 60, 200)).Frames);
        var darkMean = Mean(dark.Frames[0]);
        var lightMean = Mean(light.Frames[0]);
        Assert.True(lightMean[0] - darkMean[0] > 120, $"red: {darkMean[0]:F0} → {lightMean[0]:F0}");
        Assert.True(darkMean[2] - lightMean[2] > 100, $"blue: {darkMean[2]:F0} → {lightMean[2]:F0}");
    }

    [Fact]
    public void AnImageIsRequiredByI2VAndRefusedByT2V()
    {
        using var i2v = Load(imageToVideo: true);
        using var t2v = Load(imageToVideo: false);
        Assert.False(t2v.SupportsImageInput);
        Assert.Contains("needs an image", Assert.Throws<ArgumentException>(() => i2v.Generate(Request(null), null, CancellationToken.None)).Message);
        Assert.Contains("takes no image", Assert.Throws<ArgumentException>(() => t2v.Generate(Request(Solid(1, 2, 3)), null, CancellationToken.None)).Message);
    }

    [Fact]
    public void AnI2VTransformerWithoutItsImageEncoderIsALoadErrorNamingIt()
    {
        var folder = Path.Combine(_root, "broken");
        ForgeVideoWriter.Write(folder, imageToVideo: true);
        Directory.Delete(Path.Combine(folder, "image_encoder"), recursive: true);
        var error = Assert.Throws<ModelLoadException>(() => VideoPipeline.Load(folder, new SessionFactory(new ExecutionProfileOptions())));
        Assert.Contains("image_encoder", error.Message);
    }

    private VideoPipeline Load(bool imageToVideo)
    {
        var folder = Path.Combine(_root, imageToVideo ? "i2v" : "t2v");
        if (!Directory.Exists(folder))
        {
            ForgeVideoWriter.Write(folder, imageToVideo: imageToVideo);
        }

        return VideoPipeline.Load(folder, new SessionFactory(new ExecutionProfileOptions()));
    }

    private static GeneratedVideo Generate(VideoPipeline pipeline, RgbImage image) => pipeline.Generate(Request(image), null, CancellationToken.None);

    private static VideoGenerationRequest Request(RgbImage? image) => new()
    {
        Prompt = "a bird",
        Width = 64,
        Height = 64,
        Frames = 5,
        Steps = 3,
        GuidanceScale = 1f,
        Seed = 9,
        Image = image,
    };

    private static RgbImage Solid(byte r, byte g, byte b)
    {
        var pixels = new byte[48 * 32 * 3];
        for (int i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (r, g, b);
        }

        return new RgbImage(48, 32, pixels);
    }

    private static double[] Mean(byte[] rgb)
    {
        var sum = new double[3];
        for (int i = 0; i < rgb.Length; i++)
        {
            sum[i % 3] += rgb[i];
        }

        return [.. sum.Select(s => s / (rgb.Length / 3))];
    }
}
