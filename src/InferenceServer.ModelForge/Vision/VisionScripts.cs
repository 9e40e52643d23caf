using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Demo;
using InferenceServer.ModelForge.Tokenizer;

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

    /// <summary>The trigger word's single token id for each of <see cref="Colours"/>, in order.</summary>
    internal static int[] TriggerIds(BpeTokenizer tokenizer) => Colours.Select(c => Single(tokenizer, TriggerWord(c))).ToArray();

    /// <summary>
    /// The demo's script table plus one mode per colour: its trigger word's token starts an empty think block and the
    /// colour's <see cref="Answer"/>. What a forge vision folder (phi3v or Janus) answers with.
    /// </summary>
    internal static ScriptTable Table(BpeTokenizer tokenizer, ForgeVocabulary vocabulary, int[] triggers)
    {
        int think = vocabulary.SpecialTokenIds["<think>"];
        int endThink = vocabulary.SpecialTokenIds["</think>"];
        var modes = Colours
            .Select((c, i) => (triggers[i], (int[])[think, endThink, .. tokenizer.Encode(Answer(c)), vocabulary.EosId]))
            .ToList();
        return new ScriptTableBuilder(tokenizer, vocabulary).Build(modes);
    }

    /// <summary>The embedding rows of <paramref name="triggers"/>, one after another: what an image of each colour becomes.</summary>
    internal static float[] TriggerRows(float[] embedding, int[] triggers, int hidden)
    {
        var rows = new float[triggers.Length * hidden];
        for (var i = 0; i < triggers.Length; i++)
        {
            embedding.AsSpan(triggers[i] * hidden, hidden).CopyTo(rows.AsSpan(i * hidden));
        }

        return rows;
    }

    private static int Single(BpeTokenizer tokenizer, string word)
    {
        var ids = tokenizer.Encode(word);
        return ids.Length == 1 ? ids[0] : throw new InvalidOperationException($"Forge word '{word}' is {ids.Length} tokens, not one.");
    }
}
