namespace InferenceServer.ModelForge.Demo;

/// <summary>
/// What the scripted forge model says. A script is chosen by a trigger word anywhere in the prompt (mode 0 when
/// there is none) and starts from the last prompt token, <c>&lt;think&gt;</c> (thinking) or <c>&lt;/think&gt;</c>.
/// Within one mode every token appears once as a "current token", which is what lets plain weights follow it.
/// </summary>
public static class ForgeScripts
{
    /// <summary>Mode 0's answer, after <c>&lt;/think&gt;</c>.</summary>
    public const string DefaultAnswer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";

    /// <summary>Mode 0's reasoning, between <c>&lt;think&gt;</c> and <c>&lt;/think&gt;</c>.</summary>
    public const string DefaultReasoning = "Scripted reasoning goes first; then comes an answer";

    /// <summary>A prompt containing this word gets an answer that never ends by itself (for length and cancellation).</summary>
    public const string ForeverTrigger = "forever";

    /// <summary>The endless answer's first piece; then <see cref="ForeverLoop"/> repeats.</summary>
    public const string ForeverStart = "Counting:";

    public static IReadOnlyList<string> ForeverLoop { get; } = [" tick", " tock"];

    /// <summary>Words that must be single tokens in the forge vocabulary.</summary>
    public static IReadOnlyList<string> WholeWords { get; } =
    [
        "Hello", "!", " This", " is", " the", " InferenceServer", " demo", " model", ":", " its", " replies", " are",
        " scripted", ",", " so", " configure", " a", " real", " one", " to", " chat", ".",
        "Scripted", " reasoning", " goes", " first", ";", " then", " comes", " an", " answer",
        ForeverTrigger, "Counting", " tick", " tock",
    ];
}
