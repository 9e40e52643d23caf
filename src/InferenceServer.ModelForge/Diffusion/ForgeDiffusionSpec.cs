namespace InferenceServer.ModelForge.Diffusion;

/// <summary>Shapes of the forge's Stable-Diffusion-layout pipeline.</summary>
/// <param name="Int64Timestep">The UNet takes <c>timestep</c> as int64 (the old diffusers export) instead of float.</param>
/// <param name="UnetHidden">Channels of the UNet's feature maps.</param>
/// <param name="UnetMidBlocks">Extra hidden-to-hidden 3×3 convolutions: 0 for the tiny demo, more for a UNet whose
/// convolutions dominate a generation, as a real model's do (the benchmark's <see cref="Bench"/>).</param>
public sealed record ForgeDiffusionSpec(bool Int64Timestep = false, int UnetHidden = 16, int UnetMidBlocks = 0)
{
    public const int TextLength = 77;
    public const int TextDim = 32;
    public const int LatentChannels = 4;
    public const float ScalingFactor = 0.18215f;
    public const int Seed = 2024;

    /// <summary>
    /// A UNet of about 20 GFLOP per denoising step at 512×512 with guidance (two 256-channel mid convolutions at 64×64 latents), so that
    /// the denoising loop, not the fixed per-request costs, dominates an image as it does with a real model.
    /// </summary>
    public static ForgeDiffusionSpec Bench { get; } = new(UnetHidden: 256, UnetMidBlocks: 2);

    /// <summary>The cache folder's name: the defaults keep the demo's name.</summary>
    internal string FolderName =>
        "diffusion"
        + (Int64Timestep ? "-int64" : string.Empty)
        + (UnetHidden != 16 || UnetMidBlocks != 0 ? $"-unet{UnetHidden}x{UnetMidBlocks}" : string.Empty);
}
