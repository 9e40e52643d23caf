using InferenceServer.Vision;

namespace InferenceServer.Responses;

/// <summary>
/// The pictures a Responses follow-up sees: those its stored conversation kept, then its own, in marker order. When
/// together they pass <c>Vision:MaxImagesPerRequest</c>, the earliest parts go first (a video's frames as one part),
/// and <see cref="Chat.ChatImagePrompt"/> drops the markers they leave without a picture.
/// </summary>
internal static class ConversationImages
{
    /// <summary>Joins <paramref name="earlier"/> and <paramref name="current"/>; <paramref name="kept"/> says how many of the result are earlier ones.</summary>
    public static IReadOnlyList<DecodedImage> Join(IReadOnlyList<DecodedImage> earlier, IReadOnlyList<DecodedImage> current, int max, out int kept)
    {
        var start = 0;
        while (start < earlier.Count && earlier.Count - start + current.Count > max)
        {
            // Drop one whole part: an image, or all of a video's frames.
            var part = earlier[start].Part;
            while (start < earlier.Count && ReferenceEquals(earlier[start].Part, part))
            {
                start++;
            }
        }

        kept = earlier.Count - start;
        return [.. earlier.Skip(start), .. current];
    }

    /// <summary>
    /// The pictures as a stored response keeps them: the parts without their URLs (a data: URL is the whole picture
    /// again, as text), each part still one object for all of its frames.
    /// </summary>
    public static IReadOnlyList<DecodedImage> ForStore(IReadOnlyList<DecodedImage> images)
    {
        var parts = new Dictionary<ImagePart, ImagePart>(ReferenceEqualityComparer.Instance);
        return [.. images.Select(i => i with { Part = parts.TryGetValue(i.Part, out var p) ? p : parts[i.Part] = i.Part with { Url = null } })];
    }
}
