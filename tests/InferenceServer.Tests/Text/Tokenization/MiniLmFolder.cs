using InferenceServer.ModelForge.Embeddings;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>all-MiniLM-L6-v2 as the server writes it from the NuGet package, once per machine.</summary>
internal static class MiniLmFolder
{
    private static readonly Lazy<string> Folder = new(() =>
        MiniLmPackage.Ensure(Path.Combine(Path.GetTempPath(), "inferenceserver-test-models")));

    public static string Location => Folder.Value;
}
