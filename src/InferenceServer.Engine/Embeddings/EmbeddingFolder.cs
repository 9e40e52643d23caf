using System.Text.Json;
using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Embeddings;

/// <summary>
/// What a sentence-transformers folder says about itself: the ONNX file, pooling (<c>modules.json</c>,
/// <c>1_Pooling/config.json</c>), normalisation (a <c>Normalize</c> module), and the token limit
/// (<c>sentence_bert_config.json</c> <c>max_seq_length</c>, capped by <c>config.json</c> <c>max_position_embeddings</c>).
/// </summary>
internal sealed record EmbeddingFolder(string ModelPath, EmbeddingPooling Pooling, int MaxTokens, int? HiddenSize)
{
    private const string PoolingModule = "sentence_transformers.models.Pooling";
    private const string NormalizeModule = "sentence_transformers.models.Normalize";

    public static EmbeddingFolder Read(string id, string folder)
    {
        var modelPath = new[] { "model.onnx", Path.Combine("onnx", "model.onnx") }.Select(p => Path.Combine(folder, p)).FirstOrDefault(File.Exists)
            ?? throw new ModelLoadException($"Model '{id}': '{Path.Combine(folder, "model.onnx")}' does not exist (nor onnx/model.onnx).");
        var config = ReadJson(Path.Combine(folder, "config.json"));
        var positions = Int(config, "max_position_embeddings");
        var hidden = Int(config, "hidden_size");
        var sentenceConfig = ReadJson(Path.Combine(folder, "sentence_bert_config.json"));
        var maxTokens = Int(sentenceConfig, "max_seq_length") ?? positions ?? 512;
        if (positions is { } p && maxTokens > p)
        {
            maxTokens = p;
        }

        var (poolingFolder, normalize) = ReadModules(folder);
        var mode = ReadPoolingMode(Path.Combine(folder, poolingFolder, "config.json"));
        return new EmbeddingFolder(modelPath, new EmbeddingPooling(mode, normalize), maxTokens, hidden);
    }

    /// <summary>No modules.json: mean pooling and unit vectors, as most sentence-transformers models (and OpenAI) give.</summary>
    private static (string PoolingFolder, bool Normalize) ReadModules(string folder)
    {
        var path = Path.Combine(folder, "modules.json");
        if (ReadJson(path) is not { ValueKind: JsonValueKind.Array } modules)
        {
            return ("1_Pooling", true);
        }

        var pooling = "1_Pooling";
        var normalize = false;
        foreach (var module in modules.EnumerateArray())
        {
            var type = module.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type == PoolingModule && module.TryGetProperty("path", out var p) && p.GetString() is { Length: > 0 } dir)
            {
                pooling = dir;
            }

            normalize |= type == NormalizeModule;
        }

        return (pooling, normalize);
    }

    private static PoolingMode ReadPoolingMode(string path)
    {
        if (ReadJson(path) is not { } config)
        {
            return PoolingMode.Mean;
        }

        bool On(string name) => config.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        if (On("pooling_mode_mean_tokens"))
        {
            return PoolingMode.Mean;
        }

        if (On("pooling_mode_cls_token"))
        {
            return PoolingMode.Cls;
        }

        if (On("pooling_mode_max_tokens"))
        {
            return PoolingMode.Max;
        }

        throw new ModelLoadException($"'{path}' asks for a pooling this server does not have; it supports mean, cls and max tokens.");
    }

    private static JsonElement? ReadJson(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"'{path}' is not valid JSON: {e.Message}", e);
        }
    }

    private static int? Int(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
