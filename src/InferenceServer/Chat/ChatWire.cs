using System.Security.Cryptography;
using System.Text;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;

namespace InferenceServer.Chat;

/// <summary>The wire values DeepSeek's responses carry: ids, fingerprints, finish reasons and usage.</summary>
internal static class ChatWire
{
    public static string NewId() => Guid.NewGuid().ToString();

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Stable per loaded model: changes when the model's config or weights file changes.</summary>
    public static string Fingerprint(TextModel model)
    {
        var seed = $"{model.Id}|{model.Config.ModelType}|{model.Config.VocabSize}|{model.Config.NumLayers}|{new FileInfo(Path.Combine(model.Folder, model.Config.DecoderFile)).Length}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return "fp_" + Convert.ToHexStringLower(hash.AsSpan(0, 5));
    }

    /// <summary>
    /// DeepSeek's <c>finish_reason</c>. The server's interruptions: the drain deadline of a shutdown is
    /// <c>insufficient_system_resource</c> (capacity went away; another replica can serve a retry); a fault in a step's
    /// ONNX Runtime run is <c>aborted</c> (the generation broke, what it wrote is kept).
    /// </summary>
    public static string FinishReason(FinishReason reason) => reason switch
    {
        Engine.Generation.FinishReason.Stop => "stop",
        Engine.Generation.FinishReason.Length => "length",
        Engine.Generation.FinishReason.ToolCalls => "tool_calls",
        Engine.Generation.FinishReason.Aborted => "aborted",
        _ => "insufficient_system_resource",
    };

    public static UsageDto Usage(GenerationUsage u) => new()
    {
        PromptTokens = u.PromptTokens,
        CompletionTokens = u.CompletionTokens,
        TotalTokens = u.PromptTokens + u.CompletionTokens,
        PromptTokensDetails = new PromptTokensDetails { CachedTokens = u.CachedPromptTokens, ImageTokens = u.ImageTokens > 0 ? u.ImageTokens : null },
        PromptCacheHitTokens = u.CachedPromptTokens,
        PromptCacheMissTokens = u.PromptTokens - u.CachedPromptTokens,
        CompletionTokensDetails = new CompletionTokensDetails { ReasoningTokens = u.ReasoningTokens },
    };
}
