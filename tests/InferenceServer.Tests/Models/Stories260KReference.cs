namespace InferenceServer.Tests.Models;

/// <summary>
/// The two greedy fp32 continuations that <c>shared/models/stories260K/README.md</c> gives for stories260K, from an
/// independent implementation of llama2.c's <c>run.c</c> (copied here so the tests do not depend on that folder).
/// </summary>
internal static class Stories260KReference
{
    public const string OnceUponATime = "Once upon a time";

    public const string TheCat = "The cat";

    public static TheoryData<string> Prompts() => new() { OnceUponATime, TheCat };

    /// <summary>How many generated tokens the reference continuation is (all of it: it ends before 64 tokens).</summary>
    public static int ReferenceTokens(string prompt) => prompt == OnceUponATime ? 57 : 55;

    /// <summary>The prompt followed by its reference continuation.</summary>
    public static string Text(string prompt) => prompt switch
    {
        OnceUponATime => "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high.",
        TheCat => "The cat and a boy were playing in the park. They liked to play with their toys and run around the park. They liked to play with their toys and seek.",
        _ => throw new ArgumentOutOfRangeException(nameof(prompt), prompt, "no reference continuation"),
    };
}
