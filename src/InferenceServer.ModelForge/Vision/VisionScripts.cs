namespace InferenceServer.ModelForge.Vision;

/// <summary>
/// What the forge vision model says about a picture: the dominant colour of its global view (the channel with the
/// highest mean of red, green and blue; a tie goes to the first), as <c>The image is red.</c>.
/// </summary>
public static class VisionScripts
{
    /// <summary>The colours the vision graph tells apart, in its class order (red, green, blue channels).</summary>
    public static IReadOnlyList<string> Colours { get; } = ["red", "green", "blue"];

    /// <summary>The answer for a colour.</summary>
    public static string Answer(string colour) => $"The image is {colour}.";

    /// <summary>The word whose embedding an image of that colour becomes: the script's trigger (not a word users write).</summary>
    internal static string TriggerWord(string colour) => "ImageOf" + char.ToUpperInvariant(colour[0]) + colour[1..];

    /// <summary>Words the vision vocabulary holds as single tokens, besides the demo's.</summary>
    internal static IReadOnlyList<string> WholeWords { get; } =
        ["The", " image", " is", " red", " green", " blue", ".", .. Colours.Select(TriggerWord)];
}
