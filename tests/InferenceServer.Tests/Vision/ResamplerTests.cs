using InferenceServer.Engine.Vision;

namespace InferenceServer.Tests.Vision;

/// <summary>
/// The resampler behind the Phi-3 HD transform gives bit for bit the floats of a plain reading of Pillow's
/// <c>ImagingResample</c> (each output a weighted sum in input order, in double, one channel at a time), kept here as
/// the oracle, for both filters, up and down, one and three channels.
/// </summary>
public sealed class ResamplerTests
{
    [Theory]
    [InlineData(672, 480, 3, 1344, 960, false)]
    [InlineData(97, 61, 3, 336, 240, false)]
    [InlineData(800, 600, 3, 336, 252, false)]
    [InlineData(1344, 1008, 1, 336, 336, true)]
    [InlineData(50, 70, 1, 336, 336, true)]
    [InlineData(33, 17, 3, 31, 40, true)]
    public void ResizeEqualsThePlainReadingBitForBit(int width, int height, int channels, int newWidth, int newHeight, bool bicubic)
    {
        var filter = bicubic ? Resampler.Filter.Bicubic : Resampler.Filter.Bilinear;
        var random = new Random(width * 31 + height);
        var source = new float[width * height * channels];
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = random.Next(256) + (channels == 1 ? (float)random.NextDouble() - 0.5f : 0f);
        }

        var expected = PlainResampler.Resize(source, width, height, channels, newWidth, newHeight, filter);
        var actual = Resampler.Resize(source, width, height, channels, newWidth, newHeight, filter);

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    /// <summary>The oracle: the resampler's loops as first written, one output element at a time, over its own filter weights.</summary>
    private static class PlainResampler
    {
        /// <summary>Resizes <paramref name="channels"/> interleaved planes of <paramref name="width"/> × <paramref name="height"/>.</summary>
        public static float[] Resize(float[] source, int width, int height, int channels, int newWidth, int newHeight, Resampler.Filter filter)
        {
            var horizontal = Resampler.Coefficients(width, newWidth, filter);
            var temp = new float[newWidth * height * channels];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < newWidth; x++)
                {
                    var (start, weights) = horizontal[x];
                    for (var c = 0; c < channels; c++)
                    {
                        double sum = 0;
                        for (var k = 0; k < weights.Length; k++)
                        {
                            sum += weights[k] * source[(((y * width) + start + k) * channels) + c];
                        }

                        temp[(((y * newWidth) + x) * channels) + c] = (float)sum;
                    }
                }
            }

            var vertical = Resampler.Coefficients(height, newHeight, filter);
            var output = new float[newWidth * newHeight * channels];
            for (var y = 0; y < newHeight; y++)
            {
                var (start, weights) = vertical[y];
                for (var x = 0; x < newWidth; x++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        double sum = 0;
                        for (var k = 0; k < weights.Length; k++)
                        {
                            sum += weights[k] * temp[((((start + k) * newWidth) + x) * channels) + c];
                        }

                        output[(((y * newWidth) + x) * channels) + c] = (float)sum;
                    }
                }
            }

            return output;
        }
    }
}
