using InferenceServer.Engine.Models;

namespace InferenceServer.Hosting;

/// <summary>
/// The names the built-in demo model answers to, as DeepSeek's API does today: <c>deepseek-flash</c> and
/// <c>deepseek-v4-pro</c> (thinking on by default, as DeepSeek's current models), the still-accepted
/// <c>deepseek-v4-flash</c>, and the names retired on 2026-07-24 with their old defaults: <c>deepseek-chat</c>
/// (thinking off) and <c>deepseek-reasoner</c> (thinking on). <see cref="Vision"/> names the demo vision model, the
/// forge phi3v folder: DeepSeek's name for its experimental vision model, now on a model that reads images.
/// <see cref="Janus"/> names the forge folder in the layout of a Janus-Pro ONNX export, which answers the same way.
/// </summary>
internal static class DemoNames
{
    public const string Id = "deepseek-flash";

    public const string Vision = "deepseek-v4-flash-vision-exp";

    public const string Janus = "janus-pro-forge";

    public static IReadOnlyList<ModelAliasOptions> Aliases { get; } =
    [
        new() { Name = "deepseek-v4-pro" },
        new() { Name = "deepseek-v4-flash" },
        new() { Name = "deepseek-chat", Thinking = "disabled" },
        new() { Name = "deepseek-reasoner", Thinking = "enabled" },
    ];
}
