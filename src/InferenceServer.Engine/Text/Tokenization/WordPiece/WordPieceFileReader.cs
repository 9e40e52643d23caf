using System.Text.Json;
using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Text.Tokenization.WordPiece;

/// <summary>
/// Reads a WordPiece tokenizer from a model folder: <c>tokenizer.json</c> (a WordPiece model with BertNormalizer)
/// when present, else <c>vocab.txt</c> with the flags of <c>tokenizer_config.json</c>. Failures name the file.
/// </summary>
internal static class WordPieceFileReader
{
    public static WordPieceTokenizer Read(string folder)
    {
        var json = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(json))
        {
            return Guard(json, () => FromTokenizerJson(json));
        }

        var vocab = Path.Combine(folder, "vocab.txt");
        if (File.Exists(vocab))
        {
            return Guard(vocab, () => FromVocabText(folder, vocab));
        }

        throw new ModelLoadException($"Folder '{folder}' has neither tokenizer.json nor vocab.txt; an embedding model needs one of them.");
    }

    private static WordPieceTokenizer Guard(string path, Func<WordPieceTokenizer> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException
                                     or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new ModelLoadException($"Tokenizer file '{path}' is invalid or unsupported: {e.Message}", e);
        }
    }

    private static WordPieceTokenizer FromTokenizerJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true });
        var root = document.RootElement;
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "WordPiece")
        {
            throw new NotSupportedException($"the model type is '{type}'; embedding models need a WordPiece tokenizer");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            vocab[entry.Name] = entry.Value.GetInt32();
        }

        var normalizer = new BertNormalizer(true, true, true, true);
        if (root.TryGetProperty("normalizer", out var n) && n.ValueKind == JsonValueKind.Object)
        {
            if (n.GetProperty("type").GetString() != "BertNormalizer")
            {
                throw new NotSupportedException($"normalizer '{n.GetProperty("type").GetString()}' is not supported; use BertNormalizer");
            }

            var lowercase = Flag(n, "lowercase", true);
            normalizer = new BertNormalizer(Flag(n, "clean_text", true), Flag(n, "handle_chinese_chars", true),
                Flag(n, "strip_accents", lowercase), lowercase);
        }

        var unk = String(model, "unk_token") ?? "[UNK]";
        var cls = SpecialFromPostProcessor(root, "cls") ?? "[CLS]";
        var sep = SpecialFromPostProcessor(root, "sep") ?? "[SEP]";
        var pad = root.TryGetProperty("padding", out var p) && p.ValueKind == JsonValueKind.Object ? String(p, "pad_token") : null;
        var special = Special(vocab, unk, cls, sep, pad ?? "[PAD]");
        var prefix = String(model, "continuing_subword_prefix") ?? "##";
        var maxChars = model.TryGetProperty("max_input_chars_per_word", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 100;
        return new WordPieceTokenizer(vocab, normalizer, special, prefix, maxChars);
    }

    private static WordPieceTokenizer FromVocabText(string folder, string path)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        foreach (var line in File.ReadLines(path))
        {
            vocab.TryAdd(line.TrimEnd('\r'), id);
            id++;
        }

        var lowercase = true;
        var stripAccents = (bool?)null;
        var chinese = true;
        string unk = "[UNK]", cls = "[CLS]", sep = "[SEP]", pad = "[PAD]";
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        if (File.Exists(configPath))
        {
            using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
            var c = config.RootElement;
            lowercase = Flag(c, "do_lower_case", true);
            stripAccents = c.TryGetProperty("strip_accents", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null;
            chinese = Flag(c, "tokenize_chinese_chars", true);
            unk = String(c, "unk_token") ?? unk;
            cls = String(c, "cls_token") ?? cls;
            sep = String(c, "sep_token") ?? sep;
            pad = String(c, "pad_token") ?? pad;
        }

        var normalizer = new BertNormalizer(true, chinese, stripAccents ?? lowercase, lowercase);
        return new WordPieceTokenizer(vocab, normalizer, Special(vocab, unk, cls, sep, pad));
    }

    private static WordPieceSpecialTokens Special(Dictionary<string, int> vocab, string unk, string cls, string sep, string pad)
    {
        int Id(string token) => vocab.TryGetValue(token, out var id)
            ? id
            : throw new KeyNotFoundException($"the special token '{token}' is not in the vocabulary");
        return new WordPieceSpecialTokens(Id(unk), Id(cls), Id(sep), vocab.TryGetValue(pad, out var padId) ? padId : 0);
    }

    /// <summary>BertProcessing names <c>cls</c>/<c>sep</c> as [token, id]; TemplateProcessing lists its special tokens.</summary>
    private static string? SpecialFromPostProcessor(JsonElement root, string which)
    {
        if (!root.TryGetProperty("post_processor", out var pp) || pp.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (pp.TryGetProperty(which, out var pair) && pair.ValueKind == JsonValueKind.Array)
        {
            return pair[0].GetString();
        }

        if (pp.TryGetProperty("single", out var single) && single.ValueKind == JsonValueKind.Array)
        {
            var specials = single.EnumerateArray().Where(e => e.TryGetProperty("SpecialToken", out _))
                .Select(e => e.GetProperty("SpecialToken").GetProperty("id").GetString()).ToList();
            return specials.Count == 0 ? null : which == "cls" ? specials[0] : specials[^1];
        }

        return null;
    }

    private static bool Flag(JsonElement e, string name, bool fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    private static string? String(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object when v.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };
    }
}
