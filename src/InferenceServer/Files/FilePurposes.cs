namespace InferenceServer.Files;

/// <summary>DeepSeek's file purposes: images for vision (<c>user_data</c>) and the two document-parsing modes.</summary>
internal static class FilePurposes
{
    public const string UserData = "user_data";

    public static IReadOnlyList<string> All { get; } = [UserData, "text_recognition", "rich_layout_recognition"];

    public static bool IsDocument(string purpose) => purpose is "text_recognition" or "rich_layout_recognition";
}
