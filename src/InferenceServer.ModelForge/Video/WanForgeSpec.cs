namespace InferenceServer.ModelForge.Video;

/// <summary>The forge Wan pipeline's fixed dimensions (Wan 2.1 has z_dim 16; its text width 4096 is 16 here).</summary>
internal static class WanForgeSpec
{
    public const int LatentChannels = 16;

    public const int TextDim = 16;

    public const int Seed = 2101;

    /// <summary>The I2V image encoder's state width (Wan 2.1 I2V's CLIP: 1280).</summary>
    public const int ImageDim = 8;
}
