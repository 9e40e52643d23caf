using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// The image side of a vision-language model: a rendered prompt whose images are named by <see cref="Placeholder"/>
/// becomes token ids (each image's tokens negative, derived from the image's content: see <see cref="ImageTokenIds"/>)
/// and the images' features, one row per image token, that the model's token input puts where those ids stand. It
/// runs on the caller's thread (the request's), so encoding never stalls the scheduler's streams.
/// </summary>
public abstract class VisionEncoder : IDisposable
{
    /// <summary>The placeholder a prompt names image <paramref name="number"/> (1-based) with.</summary>
    public static string Placeholder(int number) => $"<|image_{number}|>";

    /// <summary>
    /// The prompt's ids and its images' features. Throws <see cref="ArgumentException"/> when the placeholders do not
    /// name each image exactly once.
    /// </summary>
    public abstract (int[] Ids, PromptImages Images) Encode(string prompt, IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default);

    public abstract void Dispose();
}
