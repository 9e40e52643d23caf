using System.Text.RegularExpressions;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// Janus's <c>VLChatProcessor</c> expansion over the server's placeholders: each <c>&lt;|image_N|&gt;</c> becomes
/// <c>&lt;begin_of_image&gt;</c>, the image's tokens as the id −N (the token input puts image N's rows there) and
/// <c>&lt;end_of_image&gt;</c>; the text between is tokenized apart. Each image is named exactly once.
/// </summary>
internal static partial class JanusPrompt
{
    public static int[] Expand(BpeTokenizer tokenizer, string prompt, int images, int start, int end, int imageTokens)
    {
        var ids = new List<int>();
        var at = 0;
        var seen = new HashSet<int>();
        foreach (Match m in Placeholder().Matches(prompt))
        {
            ids.AddRange(tokenizer.Encode(prompt[at..m.Index]));
            var image = int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            if (image < 1 || image > images)
            {
                throw new ArgumentException($"The prompt names <|image_{image}|> but {images} image(s) were given.");
            }

            if (!seen.Add(image))
            {
                throw new ArgumentException($"The prompt names <|image_{image}|> twice; each image goes in one place.");
            }

            ids.Add(start);
            for (var i = 0; i < imageTokens; i++)
            {
                ids.Add(-image);
            }

            ids.Add(end);
            at = m.Index + m.Length;
        }

        if (seen.Count != images)
        {
            throw new ArgumentException($"The prompt names {seen.Count} distinct image(s) but {images} were given.");
        }

        ids.AddRange(tokenizer.Encode(prompt[at..]));
        return [.. ids];
    }

    [GeneratedRegex(@"<\|image_(\d+)\|>")]
    private static partial Regex Placeholder();
}
