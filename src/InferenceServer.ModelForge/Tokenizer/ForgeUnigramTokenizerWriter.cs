using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceServer.ModelForge.Tokenizer;

/// <summary>
/// Writes a small UMT5-style <c>tokenizer/</c> folder (Wan 2.1's text encoder layout): a SentencePiece Unigram
/// tokenizer.json with <c>&lt;pad&gt;</c>=0, <c>&lt;/s&gt;</c>=1, <c>&lt;unk&gt;</c>=2, the 256 <c>&lt;0xNN&gt;</c> byte pieces
/// (byte fallback on), whole-word and single-character pieces; a Metaspace pre-tokenizer and a template that appends
/// <c>&lt;/s&gt;</c>. Real exports normalize with SentencePiece's Precompiled nmt_nfkc charsmap; the forge uses plain NFKC,
/// its nearest Unicode form, so the file stays a few kilobytes. Deterministic: the same words give the same bytes.
/// </summary>
public static class ForgeUnigramTokenizerWriter
{
    /// <summary>The words that get a piece of their own when the caller gives none.</summary>
    public static readonly IReadOnlyList<string> DefaultWords =
    [
        "a", "the", "of", "and", "in", "on", "with", "at", "cat", "dog", "man", "woman", "city", "night", "sea", "sky",
        "video", "camera", "slow", "motion", "walking", "running", "flying", "over", "under", "light", "red", "blue",
        "green", "sunset", "forest", "river", "mountain", "car", "street", "rain", "snow", "cinematic", "4K",
    ];

    private const string Characters =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?;:'\"-()[]/&%$#@*+=_";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json into <paramref name="folder"/>.</summary>
    /// <returns>The vocab size (the text encoder's embedding rows), with pad id 0 and eos id 1.</returns>
    public static int Write(string folder, IReadOnlyList<string>? words = null, int modelMaxLength = 512)
    {
        Directory.CreateDirectory(folder);
        var vocab = new JsonArray(Piece("<pad>", 0), Piece("</s>", 0), Piece("<unk>", 0));
        for (int b = 0; b < 256; b++)
        {
            vocab.Add(Piece($"<0x{b:X2}>", 0));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { "<pad>", "</s>", "<unk>" };
        AddPiece(vocab, seen, "▁", -2.0);
        int rank = 0;
        foreach (string word in words ?? DefaultWords)
        {
            AddPiece(vocab, seen, "▁" + word, -3.0 - (0.01 * rank++));
        }

        foreach (char c in Characters)
        {
            AddPiece(vocab, seen, c.ToString(), -5.0 - (0.01 * rank++));
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(Special("<pad>", 0), Special("</s>", 1), Special("<unk>", 2)),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "NFKC" },
                    new JsonObject { ["type"] = "Strip", ["strip_left"] = false, ["strip_right"] = true },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["Regex"] = " {2,}" }, ["content"] = "▁" }),
            },
            ["pre_tokenizer"] = Metaspace(),
            ["post_processor"] = Template(),
            ["decoder"] = Metaspace(),
            ["model"] = new JsonObject { ["type"] = "Unigram", ["unk_id"] = 2, ["vocab"] = vocab, ["byte_fallback"] = true },
        };

        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), root.ToJsonString(Options));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
        {
            ["tokenizer_class"] = "T5Tokenizer",
            ["model_max_length"] = modelMaxLength,
            ["eos_token"] = "</s>",
            ["pad_token"] = "<pad>",
            ["unk_token"] = "<unk>",
            ["extra_ids"] = 0,
        }.ToJsonString(Options));
        File.WriteAllText(Path.Combine(folder, "special_tokens_map.json"), new JsonObject
        {
            ["eos_token"] = "</s>",
            ["pad_token"] = "<pad>",
            ["unk_token"] = "<unk>",
        }.ToJsonString(Options));
        return vocab.Count;
    }

    private static void AddPiece(JsonArray vocab, HashSet<string> seen, string piece, double score)
    {
        if (seen.Add(piece))
        {
            vocab.Add(Piece(piece, score));
        }
    }

    private static JsonArray Piece(string piece, double score) => new(piece, Math.Round(score, 4));

    private static JsonObject Special(string content, int id) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = false,
        ["special"] = true,
    };

    private static JsonObject Metaspace() => new()
    {
        ["type"] = "Metaspace",
        ["replacement"] = "▁",
        ["prepend_scheme"] = "always",
        ["split"] = true,
    };

    private static JsonObject Template()
    {
        static JsonObject Sequence(string id) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };
        static JsonObject Eos() => new() { ["SpecialToken"] = new JsonObject { ["id"] = "</s>", ["type_id"] = 0 } };
        return new JsonObject
        {
            ["type"] = "TemplateProcessing",
            ["single"] = new JsonArray(Sequence("A"), Eos()),
            ["pair"] = new JsonArray(Sequence("A"), Eos(), Sequence("B"), Eos()),
            ["special_tokens"] = new JsonObject
            {
                ["</s>"] = new JsonObject { ["id"] = "</s>", ["ids"] = new JsonArray(1), ["tokens"] = new JsonArray("</s>") },
            },
        };
    }
}
