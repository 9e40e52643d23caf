namespace InferenceServer.Videos;

/// <summary>One configured video model (configuration list <c>VideoModels</c>): a Wan-layout ONNX folder and its defaults.</summary>
public sealed class VideoModelOptions
{
    public string Id { get; set; } = string.Empty;

    public string Path { get; set; } = string.Empty;

    public List<string> Aliases { get; set; } = [];

    /// <summary>
    /// Sizes served, <c>WIDTHxHEIGHT</c>; the first is the default. Empty by default (see <see cref="SizesOrDefault"/>):
    /// the configuration binder adds configured items to a list's initial ones, so defaults here would stay in front.
    /// </summary>
    public List<string> Sizes { get; set; } = [];

    /// <summary>The configured sizes, or Wan 2.1 1.3B's 832x480 and 480x832 when none are.</summary>
    public IReadOnlyList<string> SizesOrDefault => Sizes.Count > 0 ? Sizes : ["832x480", "480x832"];

    public int DefaultSteps { get; set; } = 30;

    public int MaxSteps { get; set; } = 100;

    public float DefaultGuidanceScale { get; set; } = 5f;

    /// <summary>Wan 2.1 is trained at 16 frames per second.</summary>
    public int DefaultFps { get; set; } = 16;

    public int DefaultSeconds { get; set; } = 4;

    public int MaxSeconds { get; set; } = 12;
}
