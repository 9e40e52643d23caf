using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Diffusion;
using InferenceServer.Tests.ModelForge;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Tests.Images;

/// <summary>The diffusion pipeline on the forge's diffusers-layout folder, through real ONNX Runtime.</summary>
public sealed class DiffusionPipelineTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "inferenceserver-unit-diffusion");

    private static DiffusionPipeline Load(bool int64Timestep = false) =>
        DiffusionPipeline.Load(DiffusionModels.EnsureForge(Cache, new ForgeDiffusionSpec(int64Timestep)), new SessionFactory(new ExecutionProfileOptions()));

    [Fact]
    public void ReadsTimestepTypeChannelsAndScalingFromTheModel()
    {
        using var floatPipeline = Load();
        using var int64Pipeline = Load(int64Timestep: true);
        Assert.Equal(TensorElementType.Float, floatPipeline.TimestepType);
        Assert.Equal(TensorElementType.Int64, int64Pipeline.TimestepType);
        Assert.Equal(4, floatPipeline.LatentChannels);
        Assert.Equal(0.18215f, floatPipeline.ScalingFactor);
        Assert.True(floatPipeline.SupportsImageInput);
        Assert.Equal(SchedulerKind.Euler, floatPipeline.Scheduler.Kind);
        var image = int64Pipeline.Generate(new ImageGenerationRequest("a cat", 64, 64, 1) { Steps = 2 }, CancellationToken.None);
        Assert.Equal(64 * 64 * 3, image.Image.Pixels.Length);
    }

    [Theory]
    [InlineData(SchedulerKind.Euler, 1, 0f)]
    [InlineData(SchedulerKind.Euler, 4, 5f)]
    [InlineData(SchedulerKind.EulerAncestral, 4, 5f)]
    [InlineData(SchedulerKind.Ddim, 4, 5f)]
    [InlineData(SchedulerKind.Lcm, 2, 1f)]
    public void SameSeedSamePixelsOtherSeedOtherPixels(SchedulerKind scheduler, int steps, float guidance)
    {
        using var pipeline = Load();
        ImageGenerationRequest Request(long seed) => new("a red cat", 128, 64, seed)
        {
            Steps = steps,
            GuidanceScale = guidance,
            Scheduler = scheduler,
            NegativePrompt = "blurry",
        };

        var first = pipeline.Generate(Request(7), CancellationToken.None);
        var again = pipeline.Generate(Request(7), CancellationToken.None);
        var other = pipeline.Generate(Request(8), CancellationToken.None);
        Assert.Equal(128, first.Image.Width);
        Assert.Equal(64, first.Image.Height);
        Assert.Equal(first.Image.Pixels, again.Image.Pixels);
        Assert.NotEqual(first.Image.Pixels, other.Image.Pixels);
        Assert.True(first.Image.Pixels.Distinct().Count() > 16, "the image is not flat");
    }

    [Fact]
    public void PromptAndNegativePromptChangeTheImage()
    {
        using var pipeline = Load();
        var cat = pipeline.Generate(new ImageGenerationRequest("a cat", 64, 64, 3) { Steps = 2, GuidanceScale = 4 }, CancellationToken.None);
        var dog = pipeline.Generate(new ImageGenerationRequest("a dog", 64, 64, 3) { Steps = 2, GuidanceScale = 4 }, CancellationToken.None);
        var negative = pipeline.Generate(new ImageGenerationRequest("a cat", 64, 64, 3) { Steps = 2, GuidanceScale = 4, NegativePrompt = "ugly" }, CancellationToken.None);
        Assert.NotEqual(cat.Image.Pixels, dog.Image.Pixels);
        Assert.NotEqual(cat.Image.Pixels, negative.Image.Pixels);
    }

    [Fact]
    public void InpaintingKeepsTheUnmaskedRegion()
    {
        using var pipeline = Load();
        var init = new RgbImage(64, 64, Enumerable.Repeat((byte)200, 64 * 64 * 3).ToArray());
        var mask = new float[64 * 64];
        for (int y = 0; y < 64; y++)
        {
            for (int x = 32; x < 64; x++)
            {
                mask[(y * 64) + x] = 1f;
            }
        }

        var result = pipeline.Generate(new ImageGenerationRequest("a sunset", 64, 64, 5) { Steps = 4, InitImage = init, Mask = mask }, CancellationToken.None).Image;
        double kept = MeanDifference(result, init, 0, 32);
        double painted = MeanDifference(result, init, 32, 64);
        Assert.True(kept < 2, $"unmasked region changed by {kept}");
        Assert.True(painted > 10, $"masked region changed by only {painted}");
    }

    [Fact]
    public void ImageToImageStrengthSetsHowFarItMoves()
    {
        using var pipeline = Load();
        var init = new RgbImage(64, 64, Enumerable.Repeat((byte)60, 64 * 64 * 3).ToArray());
        var weak = pipeline.Generate(new ImageGenerationRequest("a cat", 64, 64, 5) { Steps = 10, InitImage = init, Strength = 0.2f }, CancellationToken.None);
        var strong = pipeline.Generate(new ImageGenerationRequest("a cat", 64, 64, 5) { Steps = 10, InitImage = init, Strength = 1f }, CancellationToken.None);
        Assert.Equal(2, weak.Steps);
        Assert.True(MeanDifference(weak.Image, init, 0, 64) < MeanDifference(strong.Image, init, 0, 64));
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        using var pipeline = Load();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => pipeline.Generate(new ImageGenerationRequest("a cat", 64, 64, 1) { Steps = 3 }, cts.Token));
    }

    [Fact]
    public void ForgeWritesTheSameBytesTwice()
    {
        using var a = new TempModelFolder();
        using var b = new TempModelFolder();
        ForgeDiffusionWriter.Write(a.Path, new ForgeDiffusionSpec());
        ForgeDiffusionWriter.Write(b.Path, new ForgeDiffusionSpec());
        foreach (var file in Directory.GetFiles(a.Path, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(b.Path, Path.GetRelativePath(a.Path, file))));
        }
    }

    private static double MeanDifference(RgbImage image, RgbImage reference, int fromX, int toX)
    {
        double sum = 0;
        int count = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = fromX; x < toX; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    sum += Math.Abs(image[x, y, c] - reference[x, y, c]);
                    count++;
                }
            }
        }

        return sum / count;
    }
}
