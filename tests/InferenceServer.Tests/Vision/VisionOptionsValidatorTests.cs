using InferenceServer.Vision;

namespace InferenceServer.Tests.Vision;

/// <summary>The start-up checks of the video settings in <c>Vision</c>: each failure names its key.</summary>
public sealed class VisionOptionsValidatorTests
{
    [Fact]
    public void TheDefaultsAreValid() => Assert.True(new VisionOptionsValidator().Validate(null, new VisionOptions()).Succeeded);

    [Theory]
    [InlineData(0, 8, 1024, 30, "Vision:VideoFps must be greater than 0 and at most 60")]
    [InlineData(double.NaN, 8, 1024, 30, "Vision:VideoFps")]
    [InlineData(1, 0, 1024, 30, "Vision:MaxVideoFrames must be from 1 to 256")]
    [InlineData(1, 257, 1024, 30, "Vision:MaxVideoFrames must be from 1 to 256")]
    [InlineData(1, 8, 100, 30, "Vision:MaxVideoBytes must be at least 1024")]
    [InlineData(1, 8, 1024, 0, "Vision:VideoTimeoutSeconds must be greater than 0")]
    public void AWrongVideoSettingFailsNamingItsKey(double fps, int frames, long bytes, double timeout, string expected)
    {
        var options = new VisionOptions { VideoFps = fps, MaxVideoFrames = frames, MaxVideoBytes = bytes, VideoTimeoutSeconds = timeout };
        var result = new VisionOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void MaxConcurrentVideoDecodesOutOfRangeFailsNamingItsKey(int decodes)
    {
        var result = new VisionOptionsValidator().Validate(null, new VisionOptions { MaxConcurrentVideoDecodes = decodes });

        Assert.True(result.Failed);
        Assert.Contains("Vision:MaxConcurrentVideoDecodes must be from 1 to 64", result.FailureMessage);
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(100_000_001)]
    public void MaxVideoFramePixelsOutOfRangeFailsNamingItsKey(long pixels)
    {
        var result = new VisionOptionsValidator().Validate(null, new VisionOptions { MaxVideoFramePixels = pixels });

        Assert.True(result.Failed);
        Assert.Contains("Vision:MaxVideoFramePixels must be from 4096 to 100,000,000", result.FailureMessage);
    }
}
