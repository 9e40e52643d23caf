namespace InferenceServer.Engine.Vision;

/// <summary>
/// Separable resampling as Pillow's <c>ImagingResample</c> does it (which onnxruntime-extensions vendors): each output
/// pixel is a normalised filter-weighted sum over the input, with the filter widened by the scale when shrinking
/// (antialiasing). Works on float planes; callers round to bytes where Pillow does.
/// </summary>
internal static class Resampler
{
    public enum Filter
    {
        Bilinear,
        Bicubic,
    }

    /// <summary>Resizes <paramref name="channels"/> interleaved planes of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static float[] Resize(float[] source, int width, int height, int channels, int newWidth, int newHeight, Filter filter)
    {
        var horizontal = Coefficients(width, newWidth, filter);
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

        var vertical = Coefficients(height, newHeight, filter);
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

    private static (int Start, double[] Weights)[] Coefficients(int inSize, int outSize, Filter filter)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = (filter == Filter.Bilinear ? 1.0 : 2.0) * filterScale;
        var result = new (int, double[])[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var center = (i + 0.5) * scale;
            var min = Math.Max((int)(center - support + 0.5), 0);
            var max = Math.Min((int)(center + support + 0.5), inSize);
            var weights = new double[max - min];
            double total = 0;
            for (var j = 0; j < weights.Length; j++)
            {
                var w = Kernel(filter, (j + min - center + 0.5) / filterScale);
                weights[j] = w;
                total += w;
            }

            for (var j = 0; j < weights.Length && total != 0; j++)
            {
                weights[j] /= total;
            }

            result[i] = (min, weights);
        }

        return result;
    }

    private static double Kernel(Filter filter, double x)
    {
        x = Math.Abs(x);
        if (filter == Filter.Bilinear)
        {
            return x < 1 ? 1 - x : 0;
        }

        const double a = -0.5;
        return x < 1 ? (((a + 2) * x) - (a + 3)) * x * x + 1
            : x < 2 ? (((((x - 5) * x) + 8) * x) - 4) * a
            : 0;
    }
}
