namespace InferenceServer.ModelForge.Janus;

/// <summary>
/// The fixed sizes and tags of DeepSeek's Janus-Pro image understanding (its <c>VLChatProcessor</c> and
/// <c>VLMImageProcessor</c>): a 384-pixel square image, normalised with mean and std 0.5, becomes 576 image tokens
/// between <c>&lt;begin_of_image&gt;</c> and <c>&lt;end_of_image&gt;</c>.
/// </summary>
public static class JanusSpec
{
    public const int ImageSize = 384;

    public const int ImageTokens = 576;

    public const string ImageTag = "<image_placeholder>";

    public const string ImageStartTag = "<begin_of_image>";

    public const string ImageEndTag = "<end_of_image>";

    public const float Mean = 0.5f;

    public const float Std = 0.5f;

    /// <summary>The padding colour of the square (Janus's <c>background_color</c>, the mean in 0..255).</summary>
    public const int Background = 127;
}
