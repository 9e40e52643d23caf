using System.Text.RegularExpressions;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// GenAI's phi3v prompt expansion: the text is split at each <c>&lt;|image_N|&gt;</c>, the pieces are tokenized
/// apart, and placeholder N becomes image N's token count of the id −N (the embedding graph swaps those for image
/// features, in order). Each image is named exactly once.
/// </summary>
internal static partial class Phi3VisionPrompt
{
    public static int[] Expand(BpeTokenizer tokenizer, string prompt, IReadOnlyList<int> imageTokens)
    {
        var ids = new List<int>();
        var at = 0;
        var seen = new HashSet<int>();
        foreach (Match m in Placeholder().Matches(prompt))
        {
            ids.AddRange(tokenizer.Encode(prompt[at..m.Index]));
            var image = int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            if (image < 1 || image > imageTokens.Count)
            {
                throw new ArgumentException($"The prompt names <|image_{image}|> but {imageTokens.Count} image(s) were given.");
            }

            if (!seen.Add(image))
            {
                throw new ArgumentException($"The prompt names <|image_{image}|> twice; each image goes in one place.");
            }

            for (var i = 0; i < imageTokens[image - 1]; i++)
            {
                ids.Add(-image);
            }

            at = m.Index + m.Length;
        }

        if (seen.Count != imageTokens.Count)
        {
            throw new ArgumentException($"The prompt names {seen.Count} distinct image(s) but {imageTokens.Count} were given.");
        }

        ids.AddRange(tokenizer.Encode(prompt[at..]));
        return [.. ids];
    }

    [GeneratedRegex(@"<\|image_(\d+)\|>")]
    private static partial Regex Placeholder();
}
