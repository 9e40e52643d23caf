using System.Text.Json;

namespace InferenceServer.Engine.Models;

/// <summary>The parts of an ONNX Runtime GenAI <c>genai_config.json</c> that the engine uses.</summary>
public sealed record GenAiConfig
{
    public required string ModelType { get; init; }
    public required int BosTokenId { get; init; }
    public required IReadOnlyList<int> EosTokenIds { get; init; }
    public required int PadTokenId { get; init; }
    public required int VocabSize { get; init; }
    public required int ContextLength { get; init; }
    public required string DecoderFile { get; init; }
    public required int HeadSize { get; init; }
    public required int NumHeads { get; init; }
    public required int NumKvHeads { get; init; }
    public required int NumLayers { get; init; }
    public required GenAiNames Names { get; init; }

    public static GenAiConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Model folder has no genai_config.json: '{path}' does not exist.");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Parse(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"'{path}' is not a valid genai_config.json: {e.Message}", e);
        }
    }

    private static GenAiConfig Parse(JsonElement root)
    {
        var model = root.GetProperty("model");
        var decoder = model.GetProperty("decoder");
        var inputs = decoder.TryGetProperty("inputs", out var i) ? i : default;
        var outputs = decoder.TryGetProperty("outputs", out var o) ? o : default;
        var eos = model.GetProperty("eos_token_id");
        IReadOnlyList<int> eosIds = eos.ValueKind == JsonValueKind.Array
            ? eos.EnumerateArray().Select(e => e.GetInt32()).ToArray()
            : [eos.GetInt32()];
        var numHeads = decoder.GetProperty("num_attention_heads").GetInt32();
        return new GenAiConfig
        {
            ModelType = model.GetProperty("type").GetString() ?? "decoder",
            BosTokenId = Int(model, "bos_token_id", eosIds[0]),
            EosTokenIds = eosIds,
            PadTokenId = Int(model, "pad_token_id", eosIds[0]),
            VocabSize = model.GetProperty("vocab_size").GetInt32(),
            ContextLength = model.GetProperty("context_length").GetInt32(),
            DecoderFile = Str(decoder, "filename", "model.onnx"),
            HeadSize = decoder.GetProperty("head_size").GetInt32(),
            NumHeads = numHeads,
            NumKvHeads = Int(decoder, "num_key_value_heads", numHeads),
            NumLayers = decoder.GetProperty("num_hidden_layers").GetInt32(),
            Names = new GenAiNames(
                InputIds: Str(inputs, "input_ids", "input_ids"),
                AttentionMask: Str(inputs, "attention_mask", "attention_mask"),
                PositionIds: Str(inputs, "position_ids", "position_ids"),
                PastKey: Str(inputs, "past_key_names", "past_key_values.%d.key"),
                PastValue: Str(inputs, "past_value_names", "past_key_values.%d.value"),
                Logits: Str(outputs, "logits", "logits"),
                PresentKey: Str(outputs, "present_key_names", "present.%d.key"),
                PresentValue: Str(outputs, "present_value_names", "present.%d.value")),
        };
    }

    private static int Int(JsonElement e, string name, int fallback) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;

    private static string Str(JsonElement e, string name, string fallback) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
}
