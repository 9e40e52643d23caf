using InferenceServer.Contracts.Json;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Vision;

namespace InferenceServer.Chat;

/// <summary>
/// A vision model's prompt: each image part's <see cref="MessageContent.ImageMarker"/> becomes the model's placeholder
/// (<c>&lt;|image_N|&gt;</c>, numbered in request order, on its own line as Phi-3.5-vision's prompts carry it), a video
/// part's marker one placeholder per sampled frame, and the rendered text is tokenized by the model's
/// <see cref="Engine.Vision.VisionEncoder"/> with the images encoded.
/// </summary>
internal static class ChatImagePrompt
{
    /// <summary>
    /// Numbers the markers of the request's <paramref name="images"/> images. Markers before them that have no image
    /// (a stored Responses turn replayed by <c>previous_response_id</c>, whose pictures are not sent again) are dropped.
    /// </summary>
    public static List<ChatMessage> Number(List<ChatMessage> messages, int images) =>
        Number(messages, Enumerable.Repeat(1, images).ToArray());

    /// <summary>
    /// Numbers the markers of the request's parts, <paramref name="perPart"/> giving each part's image count (1 for
    /// an image, its frames for a video): the k-th marker becomes that many placeholders, one a line.
    /// </summary>
    public static List<ChatMessage> Number(List<ChatMessage> messages, IReadOnlyList<int> perPart)
    {
        var markers = 0;
        foreach (var m in messages)
        {
            markers += m.Content is { } c ? c.Split(MessageContent.ImageMarker).Length - 1 : 0;
        }

        var skip = Math.Max(0, markers - perPart.Count);
        var (n, part) = (0, 0);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Content is { } content && content.Contains(MessageContent.ImageMarker, StringComparison.Ordinal))
            {
                var parts = content.Split(MessageContent.ImageMarker);
                var text = new System.Text.StringBuilder(parts[0]);
                for (var p = 1; p < parts.Length; p++)
                {
                    if (skip > 0)
                    {
                        skip--;
                    }
                    else
                    {
                        for (var f = 0; f < perPart[part]; f++)
                        {
                            text.Append(Engine.Vision.VisionEncoder.Placeholder(++n)).Append('\n');
                        }

                        part++;
                    }

                    text.Append(parts[p]);
                }

                messages[i] = messages[i] with { Content = text.ToString() };
            }
        }

        return messages;
    }

    /// <summary>How many of <paramref name="images"/> each part gave, in order: a video's frames all name its part.</summary>
    public static int[] PerPart(IReadOnlyList<DecodedImage> images)
    {
        var counts = new List<int>();
        for (var i = 0; i < images.Count; i++)
        {
            if (i > 0 && ReferenceEquals(images[i].Part, images[i - 1].Part))
            {
                counts[^1]++;
            }
            else
            {
                counts.Add(1);
            }
        }

        return [.. counts];
    }

    /// <summary>The prompt's ids (image tokens included) and its encoded images; 400 when placeholders and images disagree.</summary>
    public static (int[] Tokens, PromptImages Images) Encode(TextModel model, string text, IReadOnlyList<DecodedImage> images, CancellationToken cancellationToken)
    {
        try
        {
            return model.Vision!.Encode(text, images.Select(i => i.Pixels).ToArray(), cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw VisionErrors.Placeholders("messages", $"{e.Message} Images go in image parts; the server places each image's placeholder itself.");
        }
    }
}
