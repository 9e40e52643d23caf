namespace InferenceServer.ModelForge.Decoder;

/// <summary>Non-interleaved rotary cos/sin caches <c>[context, head/2]</c>: angle = pos * theta^(-2j/head).</summary>
internal static class RotaryCache
{
    public static (float[] Cos, float[] Sin) Create(int contextLength, int headSize, float theta)
    {
        int half = headSize / 2;
        var cos = new float[contextLength * half];
        var sin = new float[contextLength * half];
        for (int j = 0; j < half; j++)
        {
            double inverseFrequency = 1.0 / Math.Pow(theta, 2.0 * j / headSize);
            for (int pos = 0; pos < contextLength; pos++)
            {
                double angle = pos * inverseFrequency;
                cos[(pos * half) + j] = (float)Math.Cos(angle);
                sin[(pos * half) + j] = (float)Math.Sin(angle);
            }
        }

        return (cos, sin);
    }

    /// <summary>Angular frequency of rotary pair <paramref name="pair"/> (the last pair turns slowest).</summary>
    public static double Frequency(int pair, int headSize, float theta) => 1.0 / Math.Pow(theta, 2.0 * pair / headSize);
}
