using System.Text.Encodings.Web;
using System.Text.Json;

namespace InferenceServer.ModelForge.Tokenizer;

/// <summary>
/// Writes a small Qwen2/DeepSeek-R1-Distill-style tokenizer (byte-level BPE, NFC, Qwen2 split regex, DeepSeek's special
/// tokens) for forge test models. Output is deterministic: the same arguments give the same bytes.
/// </summary>
public static class ForgeTokenizerWriter
{
    /// <summary>The Qwen2 / DeepSeek-R1-Distill-Qwen pre-tokenizer regex.</summary>
    public const string SplitPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const int ModelMaxLength = 16384;

    private static readonly string[] CommonWords =
    [
        " the", " and", " to", " of", " a", " in", " is", " that", " it", " for", " you", " I", " on", " with", " as",
        " are", " this", " be", " was", " have", " not", " or", " at", " by", " from", " we", " an", " can", " will",
        " your", "ing", "ed", "er", "The", " The", "I", "You", "hello", " hello", " world", ".", ",", "\n", "\n\n",
    ];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="folder"/>; returns the added tokens' ids.</summary>
    /// <param name="deepSeekToolMarkers">
    /// False leaves DeepSeek's tool-call markers out (a tokenizer whose only tool-call form is Qwen/Hermes'
    /// <c>&lt;tool_call&gt;</c>); the later added tokens' ids move down. The default writes the same bytes as always.
    /// </param>
    /// <param name="extraSpecialTokens">Special tokens added after the forge's own (a model family's image tags, say).</param>
    public static ForgeVocabulary Write(string folder, IReadOnlyList<string> wholeWords, string chatTemplate, bool deepSeekToolMarkers = true,
        IReadOnlyList<string>? extraSpecialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(wholeWords);
        ArgumentNullException.ThrowIfNull(chatTemplate);
        Directory.CreateDirectory(folder);
        var added = ForgeSpecialToken.All.Where(t => deepSeekToolMarkers || !t.IsDeepSeekToolMarker).ToList();
        added.AddRange((extraSpecialTokens ?? []).Select(t => new ForgeSpecialToken(t, true)));

        var builder = new ForgeMergeBuilder();
        builder.AddWords(wholeWords.Concat(CommonWords));

        var specialIds = new Dictionary<string, int>(StringComparer.Ordinal);
        int nextId = builder.Symbols.Count;
        foreach (ForgeSpecialToken token in added)
        {
            specialIds[token.Content] = nextId++;
        }

        File.WriteAllBytes(Path.Combine(folder, "tokenizer.json"), TokenizerJson(builder, added, specialIds));
        File.WriteAllBytes(Path.Combine(folder, "tokenizer_config.json"), TokenizerConfigJson(added, specialIds, chatTemplate));
        return new ForgeVocabulary(
            nextId,
            specialIds[ForgeSpecialToken.Bos],
            specialIds[ForgeSpecialToken.Eos],
            specialIds[ForgeSpecialToken.Pad],
            specialIds);
    }

    private static byte[] TokenizerJson(ForgeMergeBuilder builder, List<ForgeSpecialToken> added, Dictionary<string, int> specialIds)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            json.WriteStartArray("added_tokens");
            foreach (ForgeSpecialToken token in added)
            {
                json.WriteStartObject();
                json.WriteNumber("id", specialIds[token.Content]);
                json.WriteString("content", token.Content);
                json.WriteBoolean("single_word", false);
                json.WriteBoolean("lstrip", false);
                json.WriteBoolean("rstrip", false);
                json.WriteBoolean("normalized", false);
                json.WriteBoolean("special", token.Special);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("normalizer");
            json.WriteString("type", "NFC");
            json.WriteEndObject();
            json.WriteStartObject("pre_tokenizer");
            json.WriteString("type", "Sequence");
            json.WriteStartArray("pretokenizers");
            json.WriteStartObject();
            json.WriteString("type", "Split");
            json.WriteStartObject("pattern");
            json.WriteString("Regex", SplitPattern);
            json.WriteEndObject();
            json.WriteString("behavior", "Isolated");
            json.WriteBoolean("invert", false);
            json.WriteEndObject();
            WriteByteLevel(json, null);
            json.WriteEndArray();
            json.WriteEndObject();
            WriteByteLevel(json, "post_processor");
            WriteByteLevel(json, "decoder");
            WriteModel(json, builder);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteByteLevel(Utf8JsonWriter json, string? propertyName)
    {
        if (propertyName is null)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(propertyName);
        }

        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", false);
        json.WriteBoolean("trim_offsets", false);
        json.WriteBoolean("use_regex", false);
        json.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter json, ForgeMergeBuilder builder)
    {
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteString("continuing_subword_prefix", string.Empty);
        json.WriteString("end_of_word_suffix", string.Empty);
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteBoolean("ignore_merges", false);
        json.WriteStartObject("vocab");
        for (int id = 0; id < builder.Symbols.Count; id++)
        {
            json.WriteNumber(builder.Symbols[id], id);
        }

        json.WriteEndObject();
        json.WriteStartArray("merges");
        foreach ((string left, string right) in builder.Merges)
        {
            json.WriteStringValue(left + " " + right);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static byte[] TokenizerConfigJson(List<ForgeSpecialToken> added, Dictionary<string, int> specialIds, string chatTemplate)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteBoolean("add_bos_token", false);
            json.WriteBoolean("add_eos_token", false);
            json.WriteStartObject("added_tokens_decoder");
            foreach (ForgeSpecialToken token in added)
            {
                json.WriteStartObject(specialIds[token.Content].ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("content", token.Content);
                json.WriteBoolean("lstrip", false);
                json.WriteBoolean("normalized", false);
                json.WriteBoolean("rstrip", false);
                json.WriteBoolean("single_word", false);
                json.WriteBoolean("special", token.Special);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteString("bos_token", ForgeSpecialToken.Bos);
            json.WriteString("chat_template", chatTemplate);
            json.WriteBoolean("clean_up_tokenization_spaces", false);
            json.WriteString("eos_token", ForgeSpecialToken.Eos);
            json.WriteBoolean("legacy", true);
            json.WriteNumber("model_max_length", ModelMaxLength);
            json.WriteString("pad_token", ForgeSpecialToken.Pad);
            json.WriteStartObject("sp_model_kwargs");
            json.WriteEndObject();
            json.WriteNull("unk_token");
            json.WriteString("tokenizer_class", "LlamaTokenizerFast");
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
