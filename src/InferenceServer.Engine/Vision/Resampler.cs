using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// <remarks>
    /// Each output element is the same double sum, in the same input order, as one element at a time would give (so
    /// the floats are bit for bit those); only the loops are ordered for the cache: the horizontal pass takes a pixel's
    /// channels together, the vertical pass adds whole input rows into a row of sums.
    /// </remarks>
    public static float[] Resize(ReadOnlySpan<float> source, int width, int height, int channels, int newWidth, int newHeight, Filter filter)
    {
        var horizontal = Coefficients(width, newWidth, filter);
        var temp = new float[newWidth * height * channels];
        var y = 0;
        if (channels == 1 && Vector256.IsHardwareAccelerated)
        {
            var interleaved = new float[(4 * width) + 4];
            for (; y + 4 <= height; y += 4)
            {
                HorizontalFourPlanes(source.Slice(y * width, 4 * width), width, temp.AsSpan(y * newWidth, 4 * newWidth), newWidth, horizontal, interleaved);
            }
        }

        for (; y < height; y++)
        {
            var row = source.Slice(y * width * channels, width * channels);
            var into = temp.AsSpan(y * newWidth * channels, newWidth * channels);
            if (channels == 3)
            {
                HorizontalRgb(row, into, horizontal);
            }
            else if (channels == 1)
            {
                HorizontalPlane(row, into, horizontal);
            }
            else
            {
                Horizontal(row, into, horizontal, channels);
            }
        }

        var vertical = Coefficients(height, newHeight, filter);
        var stride = newWidth * channels;
        var output = new float[stride * newHeight];
        var sums = new double[stride];
        for (y = 0; y < newHeight; y++)
        {
            var (start, weights) = vertical[y];
            Array.Clear(sums);
            for (var k = 0; k < weights.Length; k++)
            {
                AddScaled(sums, temp.AsSpan((start + k) * stride, stride), weights[k]);
            }

            Narrow(sums, output.AsSpan(y * stride, stride));
        }

        return output;
    }

    /// <summary><c>into[i] = (float)sums[i]</c>, in vectors where they fit (the same rounding as one at a time).</summary>
    private static void Narrow(ReadOnlySpan<double> sums, Span<float> into)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var doubles = MemoryMarshal.Cast<double, Vector<double>>(sums);
            var floats = MemoryMarshal.Cast<float, Vector<float>>(into);
            for (var v = 0; v < floats.Length; v++)
            {
                floats[v] = Vector.Narrow(doubles[2 * v], doubles[(2 * v) + 1]);
            }

            i = floats.Length * Vector<float>.Count;
        }

        for (; i < into.Length; i++)
        {
            into[i] = (float)sums[i];
        }
    }

    /// <summary><c>sums[i] += w * row[i]</c>: a multiply then an add per element, in vectors where they fit (no fused multiply-add, so the same doubles as one at a time).</summary>
    private static void AddScaled(Span<double> sums, ReadOnlySpan<float> row, double w)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<double>(w);
            var floats = MemoryMarshal.Cast<float, Vector<float>>(row);
            var doubles = MemoryMarshal.Cast<double, Vector<double>>(sums);
            for (var v = 0; v < floats.Length; v++)
            {
                Vector.Widen(floats[v], out var low, out var high);
                doubles[2 * v] += scale * low;
                doubles[(2 * v) + 1] += scale * high;
            }

            i = floats.Length * Vector<float>.Count;
        }

        for (; i < sums.Length; i++)
        {
            sums[i] += w * row[i];
        }
    }

    private static void HorizontalRgb(ReadOnlySpan<float> row, Span<float> into, (int Start, double[] Weights)[] coefficients)
    {
        var x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // r, g, b (and the next pixel's r, unused) side by side: the same multiply and add per sum, in tap order.
            // A pixel whose last tap ends the row reads one float past it, so those go the scalar way below.
            for (; x < coefficients.Length; x++)
            {
                var (start, weights) = coefficients[x];
                if (((start + weights.Length) * 3) + 1 > row.Length)
                {
                    break;
                }

                var sum = Vector256<double>.Zero;
                for (var k = 0; k < weights.Length; k++)
                {
                    var taps = Vector256.WidenLower(Vector256.Create(Vector128.Create(row.Slice((start + k) * 3, 4)), Vector128<float>.Zero));
                    sum += Vector256.Create(weights[k]) * taps;
                }

                into[3 * x] = (float)sum.GetElement(0);
                into[(3 * x) + 1] = (float)sum.GetElement(1);
                into[(3 * x) + 2] = (float)sum.GetElement(2);
            }
        }

        for (; x < coefficients.Length; x++)
        {
            var (start, weights) = coefficients[x];
            double r = 0, g = 0, b = 0;
            var taps = row.Slice(start * 3, weights.Length * 3);
            for (var k = 0; k < weights.Length; k++)
            {
                var w = weights[k];
                r += w * taps[3 * k];
                g += w * taps[(3 * k) + 1];
                b += w * taps[(3 * k) + 2];
            }

            into[3 * x] = (float)r;
            into[(3 * x) + 1] = (float)g;
            into[(3 * x) + 2] = (float)b;
        }
    }

    /// <summary>
    /// Four rows of one plane at once, each the lane of a vector: the rows are interleaved first (input i of the four
    /// rows side by side), so each tap is one load, and each lane's sum is the same multiply and add, in tap order, as
    /// one row at a time.
    /// </summary>
    private static void HorizontalFourPlanes(ReadOnlySpan<float> rows, int width, Span<float> into, int newWidth, (int Start, double[] Weights)[] coefficients, float[] interleaved)
    {
        for (var i = 0; i < width; i++)
        {
            interleaved[4 * i] = rows[i];
            interleaved[(4 * i) + 1] = rows[width + i];
            interleaved[(4 * i) + 2] = rows[(2 * width) + i];
            interleaved[(4 * i) + 3] = rows[(3 * width) + i];
        }

        var values = MemoryMarshal.Cast<float, Vector128<float>>(interleaved.AsSpan(0, 4 * width));
        for (var x = 0; x < coefficients.Length; x++)
        {
            var (start, weights) = coefficients[x];
            var sum = Vector256<double>.Zero;
            for (var k = 0; k < weights.Length; k++)
            {
                sum += Vector256.Create(weights[k]) * Vector256.WidenLower(values[start + k].ToVector256Unsafe());
            }

            into[x] = (float)sum.GetElement(0);
            into[newWidth + x] = (float)sum.GetElement(1);
            into[(2 * newWidth) + x] = (float)sum.GetElement(2);
            into[(3 * newWidth) + x] = (float)sum.GetElement(3);
        }
    }

    /// <summary>
    /// One plane: four outputs at a time where their filters have the same width, so four sums advance side by side
    /// (each still in its own input order) instead of one chain of dependent additions.
    /// </summary>
    private static void HorizontalPlane(ReadOnlySpan<float> row, Span<float> into, (int Start, double[] Weights)[] coefficients)
    {
        var x = 0;
        for (; x + 4 <= coefficients.Length; x += 4)
        {
            var (s0, w0) = coefficients[x];
            var (s1, w1) = coefficients[x + 1];
            var (s2, w2) = coefficients[x + 2];
            var (s3, w3) = coefficients[x + 3];
            var taps = w0.Length;
            if (w1.Length != taps || w2.Length != taps || w3.Length != taps)
            {
                Horizontal(row, into.Slice(x, 4), coefficients.AsSpan(x, 4), 1);
                continue;
            }

            var r0 = row.Slice(s0, taps);
            var r1 = row.Slice(s1, taps);
            var r2 = row.Slice(s2, taps);
            var r3 = row.Slice(s3, taps);
            double a = 0, b = 0, c = 0, d = 0;
            for (var k = 0; k < taps; k++)
            {
                a += w0[k] * r0[k];
                b += w1[k] * r1[k];
                c += w2[k] * r2[k];
                d += w3[k] * r3[k];
            }

            into[x] = (float)a;
            into[x + 1] = (float)b;
            into[x + 2] = (float)c;
            into[x + 3] = (float)d;
        }

        Horizontal(row, into[x..], coefficients.AsSpan(x), 1);
    }

    private static void Horizontal(ReadOnlySpan<float> row, Span<float> into, ReadOnlySpan<(int Start, double[] Weights)> coefficients, int channels)
    {
        for (var x = 0; x < coefficients.Length; x++)
        {
            var (start, weights) = coefficients[x];
            for (var c = 0; c < channels; c++)
            {
                double sum = 0;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * row[((start + k) * channels) + c];
                }

                into[(x * channels) + c] = (float)sum;
            }
        }
    }

    /// <summary>Each output position's first input index and its normalised filter weights.</summary>
    internal static (int Start, double[] Weights)[] Coefficients(int inSize, int outSize, Filter filter)
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
