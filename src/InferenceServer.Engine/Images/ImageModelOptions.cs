namespace InferenceServer.Engine.Images;

/// <summary>One configured image model (configuration section <c>ImageModels</c>, a list).</summary>
public sealed class ImageModelOptions
{
    /// <summary>The id clients send as <c>model</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>A diffusers ONNX folder: <c>model_index.json</c>, <c>text_encoder/</c>, <c>unet/</c>, <c>vae_decoder/</c>, <c>tokenizer/</c>, <c>scheduler/</c>.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Other names clients may send (for example <c>dall-e-2</c> or <c>gpt-image-1</c>).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Denoising steps when the request does not say (1 for SD-Turbo, 20–50 for SD 1.5).</summary>
    public int DefaultSteps { get; set; } = 20;

    /// <summary>Classifier-free guidance when the request does not say; ≤ 1 turns guidance off (SD-Turbo: 0).</summary>
    public float DefaultGuidanceScale { get; set; } = 7.5f;

    /// <summary>
    /// The sizes requests may ask for, <c>WIDTHxHEIGHT</c>; the first is what <c>auto</c> means; none configured:
    /// <see cref="DefaultSize"/>. Empty by default because configuration binding appends to a list's items: a default
    /// item would stay first and become <c>auto</c> whatever the operator lists.
    /// </summary>
    public List<string> Sizes { get; set; } = [];

    /// <summary>The one size served when <see cref="Sizes"/> lists none.</summary>
    public const string DefaultSize = "512x512";

    /// <summary><see cref="Sizes"/>, or <see cref="DefaultSize"/> when it lists none.</summary>
    public IReadOnlyList<string> SizesOrDefault => Sizes.Count > 0 ? Sizes : [DefaultSize];

    /// <summary>Most steps a request may ask for.</summary>
    public int MaxSteps { get; set; } = 50;
}
