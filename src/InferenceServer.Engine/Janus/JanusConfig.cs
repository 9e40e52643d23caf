using System.Text.Json;
using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// What a Janus-Pro ONNX folder (onnx-community's export, transformers.js's <c>MultiModalityCausalLM</c>) says about
/// itself: <c>config.json</c>'s <c>language_config</c> (a Llama), <c>processor_config.json</c>'s image tags and token
/// count, <c>preprocessor_config.json</c>'s image size, normalisation and background, and
/// <c>generation_config.json</c>'s special ids.
/// </summary>
internal sealed record JanusConfig(
    int HiddenSize,
    int NumHeads,
    int NumKvHeads,
    int HeadSize,
    int NumLayers,
    int VocabSize,
    int ContextLength,
    int BosTokenId,
    IReadOnlyList<int> EosTokenIds,
    int PadTokenId,
    string ImageStartTag,
    string ImageEndTag,
    int ImageTokens,
    int ImageSize,
    float[] Mean,
    float[] Std,
    float RescaleFactor,
    byte[] Background)
{
    /// <summary>True when <paramref name="folder"/> holds a <c>config.json</c> of <c>model_type: multi_modality</c>.</summary>
    public static bool IsJanusFolder(string folder)
    {
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return doc.RootElement.TryGetProperty("model_type", out var t) && t.GetString() == "multi_modality";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static JanusConfig Load(string folder)
    {
        var configPath = Path.Combine(folder, "config.json");
        try
        {
            using var config = Read(configPath, required: true)!;
            var language = config.RootElement.GetProperty("language_config");
            using var processor = Read(Path.Combine(folder, "processor_config.json"), required: false);
            using var preprocessor = Read(Path.Combine(folder, "preprocessor_config.json"), required: true)!;
            using var generation = Read(Path.Combine(folder, "generation_config.json"), required: false);
            var p = processor?.RootElement ?? default;
            var pre = preprocessor.RootElement;
            var g = generation?.RootElement ?? default;
            var hidden = language.GetProperty("hidden_size").GetInt32();
            var heads = language.GetProperty("num_attention_heads").GetInt32();
            var eos = Int(g, "eos_token_id") ?? Int(language, "eos_token_id") ?? throw new KeyNotFoundException("eos_token_id (generation_config.json)");
            var bos = Int(g, "bos_token_id") ?? Int(language, "bos_token_id") ?? eos;
            return new JanusConfig(
                hidden,
                heads,
                Int(language, "num_key_value_heads") ?? heads,
                Int(language, "head_dim") ?? hidden / heads,
                language.GetProperty("num_hidden_layers").GetInt32(),
                language.GetProperty("vocab_size").GetInt32(),
                Int(language, "max_position_embeddings") ?? 4096,
                bos,
                [eos],
                Int(g, "pad_token_id") ?? Int(language, "pad_token_id") ?? eos,
                Str(p, "image_start_tag") ?? "<begin_of_image>",
                Str(p, "image_end_tag") ?? "<end_of_image>",
                Int(p, "num_image_tokens") ?? 576,
                Int(pre, "image_size") ?? 384,
                Floats(pre, "image_mean") ?? [0.5f, 0.5f, 0.5f],
                Floats(pre, "image_std") ?? [0.5f, 0.5f, 0.5f],
                pre.TryGetProperty("rescale_factor", out var r) ? r.GetSingle() : 1f / 255,
                BackgroundColour(pre));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"The Janus folder '{folder}' has an invalid config.json, preprocessor_config.json or generation_config.json: {e.Message}", e);
        }
    }

    /// <summary>The language model's shape and ids as the engine's decoder configuration.</summary>
    public GenAiConfig DecoderConfig(string decoderFile, string outputName) => new()
    {
        ModelType = "multi_modality",
        BosTokenId = BosTokenId,
        EosTokenIds = EosTokenIds,
        PadTokenId = PadTokenId,
        VocabSize = VocabSize,
        ContextLength = ContextLength,
        DecoderFile = decoderFile,
        HeadSize = HeadSize,
        NumHeads = NumHeads,
        NumKvHeads = NumKvHeads,
        NumLayers = NumLayers,
        Names = new GenAiNames(
            InputIds: "input_ids",
            AttentionMask: "attention_mask",
            PositionIds: "position_ids",
            PastKey: "past_key_values.%d.key",
            PastValue: "past_key_values.%d.value",
            Logits: outputName,
            PresentKey: "present.%d.key",
            PresentValue: "present.%d.value"),
    };

    private static JsonDocument? Read(string path, bool required)
    {
        if (!File.Exists(path))
        {
            return required ? throw new ModelLoadException($"The Janus folder has no {Path.GetFileName(path)}: '{path}' does not exist.") : null;
        }

        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    private static int? Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static float[]? Floats(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetSingle()).ToArray() : null;

    // Janus's background_color: 0..255 integers in the Python processor, or 0..1 in some exports (transformers.js
    // multiplies it by rescale_factor, so both mean a colour in 0..255 units before rescaling).
    private static byte[] BackgroundColour(JsonElement e)
    {
        var colour = Floats(e, "background_color") ?? [127, 127, 127];
        var scale = colour.All(c => c <= 1f) ? 255f : 1f;
        return colour.Select(c => (byte)Math.Clamp(MathF.Round(c * scale), 0, 255)).ToArray();
    }
}
