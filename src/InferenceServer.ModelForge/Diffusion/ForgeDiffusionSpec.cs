namespace InferenceServer.ModelForge.Diffusion;

/// <summary>Shapes of the forge's tiny Stable-Diffusion-layout pipeline.</summary>
/// <param name="Int64Timestep">The UNet takes <c>timestep</c> as int64 (the old diffusers export) instead of float.</param>
public sealed record ForgeDiffusionSpec(bool Int64Timestep = false)
{
    public const int TextLength = 77;
    public const int TextDim = 32;
    public const int LatentChannels = 4;
    public const int UnetHidden = 16;
    public const float ScalingFactor = 0.18215f;
    public const int Seed = 2024;
}
