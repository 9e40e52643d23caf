namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// Symmetric round-to-nearest 4-bit block quantization in the <c>com.microsoft.MatMulNBits</c> layout:
/// B is <c>[N, k_blocks, block/2]</c> uint8 (low nibble = even k), scales <c>[N, k_blocks]</c>, implicit zero point 8.
/// When K is not a multiple of the block, the last block is padded with zeros (k_blocks = ceil(K / block)), as
/// MatMulNBits expects.
/// </summary>
internal static class Int4Quantizer
{
    public static (byte[] Packed, float[] Scales) Quantize(float[] weight, int k, int n, int blockSize)
    {
        int blocks = (k + blockSize - 1) / blockSize;
        var packed = new byte[n * blocks * (blockSize / 2)];
        var scales = new float[n * blocks];
        for (int col = 0; col < n; col++)
        {
            for (int block = 0; block < blocks; block++)
            {
                float absMax = 0f;
                for (int i = 0; i < blockSize; i++)
                {
                    absMax = MathF.Max(absMax, MathF.Abs(At(weight, (block * blockSize) + i, col, k, n)));
                }

                float scale = absMax / 7f;
                scales[(col * blocks) + block] = scale;
                int baseOffset = ((col * blocks) + block) * (blockSize / 2);
                for (int i = 0; i < blockSize; i += 2)
                {
                    int low = Code(At(weight, (block * blockSize) + i, col, k, n), scale);
                    int high = Code(At(weight, (block * blockSize) + i + 1, col, k, n), scale);
                    packed[baseOffset + (i / 2)] = (byte)(low | (high << 4));
                }
            }
        }

        return (packed, scales);
    }

    private static float At(float[] weight, int row, int col, int k, int n) => row < k ? weight[(row * n) + col] : 0f;

    private static int Code(float value, float scale)
    {
        int q = scale == 0f ? 0 : (int)MathF.Round(value / scale, MidpointRounding.ToEven);
        return Math.Clamp(q, -8, 7) + 8;
    }
}
