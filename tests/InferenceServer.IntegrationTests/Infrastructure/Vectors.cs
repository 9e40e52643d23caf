using System.Text.Json;

namespace InferenceServer.IntegrationTests.Infrastructure;

public static class Vectors
{
    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    public static double Norm(float[] v) => Math.Sqrt(v.Sum(x => x * (double)x));

    public static double MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - (double)y)).Max();
    }

    /// <summary>The <c>data[*].embedding</c> arrays of a float response, in index order.</summary>
    public static float[][] FromResponse(JsonElement body) =>
        [.. body.GetProperty("data").EnumerateArray()
            .OrderBy(d => d.GetProperty("index").GetInt32())
            .Select(d => d.GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray())];
}
