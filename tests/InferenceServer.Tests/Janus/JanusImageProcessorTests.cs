using InferenceServer.Engine.Images;
using InferenceServer.Engine.Janus;

namespace InferenceServer.Tests.Janus;

/// <summary>Janus's image preprocessing: longer side to 384, padded to a square with the background colour, normalised.</summary>
public sealed class JanusImageProcessorTests : IClassFixture<JanusFixture>
{
    private readonly JanusFixture _fixture;

    public JanusImageProcessorTests(JanusFixture fixture) => _fixture = fixture;

    [Fact]
    public void AWidePictureIsScaledToTheWidthAndPaddedAboveAndBelow()
    {
        var config = JanusConfig.Load(_fixture.Folder);
        var pixels = new byte[200 * 100 * 3];
        for (var p = 0; p < 200 * 100; p++)
        {
            pixels[p * 3] = 255;
        }

        var values = JanusImageProcessor.Process(new RgbImage(200, 100, pixels), config);
        Assert.Equal(3 * 384 * 384, values.Length);
        const float Background = ((127f / 255f) - 0.5f) / 0.5f;
        Assert.Equal(Background, values[0], 4); // red plane, top-left: padding
        Assert.Equal(1f, values[(192 * 384) + 192], 4); // red plane, centre: the picture
        Assert.Equal(-1f, values[(384 * 384) + (192 * 384) + 192], 4); // green plane, centre
        Assert.Equal(Background, values[(383 * 384) + 383], 4); // red plane, bottom-right: padding
    }
}
