namespace InferenceServer.Benchmarks.Embeddings;

/// <summary>Short, varied sentences (8 to 16 tokens), built deterministically.</summary>
internal static class ShortSentences
{
    private static readonly string[] Subjects = ["The cat", "A developer", "My neighbour", "The committee", "Our new server", "A small child", "The old train", "This recipe"];
    private static readonly string[] Verbs = ["quickly finished", "carefully studied", "never expected", "finally answered", "happily shared", "loudly rejected", "slowly rebuilt", "politely asked about"];
    private static readonly string[] Objects = ["the quarterly report.", "a bowl of warm soup.", "the broken bicycle.", "every unanswered email.", "the rules of chess.", "a long walk home.", "the latest results.", "a cup of green tea."];

    public static string[] Take(int count) =>
        [.. Enumerable.Range(0, count).Select(i => $"{Subjects[i % 8]} {Verbs[i / 8 % 8]} {Objects[(i / 64 + i) % 8]}")];
}
