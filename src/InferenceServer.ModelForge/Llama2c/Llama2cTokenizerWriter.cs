using System.Text.Encodings.Web;
using System.Text.Json;

namespace InferenceServer.ModelForge.Llama2c;

/// <summary>
/// Writes a llama2.c tokenizer as a Hugging Face Llama-2-style <c>tokenizer.json</c> (legacy normalizer
/// <c>Prepend ▁</c> + <c>Replace " " → ▁</c>, BPE with byte fallback) and a <c>tokenizer_config.json</c> with a plain
/// chat template (the messages' text one after another: this is a text-continuation model).
/// </summary>
/// <remarks>
/// llama2.c merges the adjacent pair whose merged piece has the highest score; Hugging Face's BPE merges the pair
/// with the lowest rank. Every way to split a piece into two pieces becomes a merge, ranked by the merged piece's
/// score (highest first), so both pick the same merge at every step.
/// </remarks>
public static class Llama2cTokenizerWriter
{
    /// <summary>SentencePiece's word mark, which Hugging Face files use where llama2.c pieces hold a space.</summary>
    public const char WordMark = '\u2581';

    /// <summary>The chat template: BOS, then each message's content, a newline between two messages, nothing added.</summary>
    public const string PlainChatTemplate =
        "{{ bos_token }}{% for message in messages %}{% if not loop.first %}{{ '\\n' }}{% endif %}{{ message['content'] }}{% endfor %}";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] SpecialPieces = ["<unk>", "<s>", "</s>"];

    /// <summary>Writes both files into <paramref name="folder"/>.</summary>
    public static void Write(string folder, Llama2cVocabulary vocabulary, int modelMaxLength)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var pieces = HfPieces(vocabulary);
        File.WriteAllBytes(Path.Combine(folder, "tokenizer.json"), TokenizerJson(pieces, Merges(vocabulary, pieces)));
        File.WriteAllBytes(Path.Combine(folder, "tokenizer_config.json"), ConfigJson(modelMaxLength));
    }

    /// <summary>The pieces in Hugging Face form: U+2581 for a space, <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c> for BOS and EOS.</summary>
    public static string[] HfPieces(Llama2cVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var pieces = new string[vocabulary.Pieces.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int id = 0; id < pieces.Length; id++)
        {
            pieces[id] = id < SpecialPieces.Length ? SpecialPieces[id] : vocabulary.Pieces[id].Replace(' ', WordMark);
            if (!seen.Add(pieces[id]))
            {
                throw new InvalidDataException($"The llama2.c tokenizer has the piece '{pieces[id]}' twice.");
            }
        }

        return pieces;
    }

    /// <summary>Every (left, right) split of every mergeable piece, highest merged score first (ties: lower id first).</summary>
    public static List<(string Left, string Right)> Merges(Llama2cVocabulary vocabulary, string[] pieces)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(pieces);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < pieces.Length; id++)
        {
            ids[pieces[id]] = id;
        }

        var order = Enumerable.Range(0, pieces.Length).Where(vocabulary.IsMergeable)
            .OrderByDescending(id => vocabulary.Scores[id]).ThenBy(id => id);
        var merges = new List<(string, string)>();
        foreach (int id in order)
        {
            string piece = pieces[id];
            for (int b = 1; b < piece.Length; b++)
            {
                if (char.IsLowSurrogate(piece[b]))
                {
                    continue; // split between characters (Unicode scalar values), as llama2.c and Hugging Face's BPE do
                }

                string left = piece[..b];
                string right = piece[b..];
                if (ids.TryGetValue(left, out int l) && ids.TryGetValue(right, out int r) && vocabulary.IsMergeable(l) && vocabulary.IsMergeable(r))
                {
                    merges.Add((left, right));
                }
            }
        }

        return merges;
    }

    private static byte[] TokenizerJson(string[] pieces, List<(string Left, string Right)> merges)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            json.WriteStartArray("added_tokens");
            for (int id = 0; id < SpecialPieces.Length; id++)
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                json.WriteString("content", SpecialPieces[id]);
                json.WriteBoolean("single_word", false);
                json.WriteBoolean("lstrip", false);
                json.WriteBoolean("rstrip", false);
                json.WriteBoolean("normalized", false);
                json.WriteBoolean("special", true);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteNormalizer(json);
            json.WriteNull("pre_tokenizer");
            WritePostProcessor(json);
            WriteDecoder(json);
            json.WriteStartObject("model");
            json.WriteString("type", "BPE");
            json.WriteNull("dropout");
            json.WriteString("unk_token", SpecialPieces[0]);
            json.WriteNull("continuing_subword_prefix");
            json.WriteNull("end_of_word_suffix");
            json.WriteBoolean("fuse_unk", true);
            json.WriteBoolean("byte_fallback", true);
            json.WriteBoolean("ignore_merges", false);
            json.WriteStartObject("vocab");
            for (int id = 0; id < pieces.Length; id++)
            {
                json.WriteNumber(pieces[id], id);
            }

            json.WriteEndObject();
            json.WriteStartArray("merges");
            foreach ((string left, string right) in merges)
            {
                json.WriteStringValue($"{left} {right}");
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void WriteNormalizer(Utf8JsonWriter json)
    {
        json.WriteStartObject("normalizer");
        json.WriteString("type", "Sequence");
        json.WriteStartArray("normalizers");
        json.WriteStartObject();
        json.WriteString("type", "Prepend");
        json.WriteString("prepend", WordMark.ToString());
        json.WriteEndObject();
        WriteReplace(json, " ", WordMark.ToString());
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePostProcessor(Utf8JsonWriter json)
    {
        json.WriteStartObject("post_processor");
        json.WriteString("type", "TemplateProcessing");
        json.WriteStartArray("single");
        json.WriteRawValue("""{"SpecialToken":{"id":"<s>","type_id":0}}""");
        json.WriteRawValue("""{"Sequence":{"id":"A","type_id":0}}""");
        json.WriteEndArray();
        json.WriteStartArray("pair");
        json.WriteRawValue("""{"SpecialToken":{"id":"<s>","type_id":0}}""");
        json.WriteRawValue("""{"Sequence":{"id":"A","type_id":0}}""");
        json.WriteRawValue("""{"SpecialToken":{"id":"<s>","type_id":1}}""");
        json.WriteRawValue("""{"Sequence":{"id":"B","type_id":1}}""");
        json.WriteEndArray();
        json.WriteStartObject("special_tokens");
        json.WritePropertyName("<s>");
        json.WriteRawValue("""{"id":"<s>","ids":[1],"tokens":["<s>"]}""");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteDecoder(Utf8JsonWriter json)
    {
        json.WriteStartObject("decoder");
        json.WriteString("type", "Sequence");
        json.WriteStartArray("decoders");
        WriteReplace(json, WordMark.ToString(), " ");
        json.WriteRawValue("""{"type":"ByteFallback"}""");
        json.WriteRawValue("""{"type":"Fuse"}""");
        json.WriteRawValue("""{"type":"Strip","content":" ","start":1,"stop":0}""");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteReplace(Utf8JsonWriter json, string from, string to)
    {
        json.WriteStartObject();
        json.WriteString("type", "Replace");
        json.WriteStartObject("pattern");
        json.WriteString("String", from);
        json.WriteEndObject();
        json.WriteString("content", to);
        json.WriteEndObject();
    }

    private static byte[] ConfigJson(int modelMaxLength)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteBoolean("add_bos_token", true);
            json.WriteBoolean("add_eos_token", false);
            json.WriteString("bos_token", "<s>");
            json.WriteString("eos_token", "</s>");
            json.WriteString("unk_token", "<unk>");
            json.WriteNull("pad_token");
            json.WriteBoolean("clean_up_tokenization_spaces", false);
            json.WriteBoolean("legacy", true);
            json.WriteNumber("model_max_length", modelMaxLength);
            json.WriteString("tokenizer_class", "LlamaTokenizerFast");
            json.WriteString("chat_template", PlainChatTemplate);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
