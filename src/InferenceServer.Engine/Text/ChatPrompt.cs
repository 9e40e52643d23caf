namespace InferenceServer.Engine.Text;

/// <summary>
/// A rendered chat prompt. <see cref="StartsInsideThinking"/> is true when the template's generation prompt opened a
/// think block itself (DeepSeek-R1 style <c>&lt;｜Assistant｜&gt;&lt;think&gt;\n</c>), so the output begins as reasoning.
/// </summary>
public sealed record ChatPrompt(string Text, bool StartsInsideThinking);
