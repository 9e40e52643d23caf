using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>Reads tokenizer.json's normalizer, pre_tokenizer and decoder sections. Throws <see cref="NotSupportedException"/> for unknown types.</summary>
internal static class PipelineReader
{
    public static List<NormalizerStep> ReadNormalizer(JsonElement node)
    {
        var steps = new List<NormalizerStep>();
        AddNormalizer(node, steps);
        return steps;
    }

    public static List<PreTokenizerStep> ReadPreTokenizer(JsonElement node)
    {
        var steps = new List<PreTokenizerStep>();
        AddPreTokenizer(node, steps);
        return steps;
    }

    public static DecodePlan ReadDecoder(JsonElement node)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            return new DecodePlan([], " "u8.ToArray(), 0, 0, null);
        }

        var steps = new List<JsonElement>();
        Flatten(node, steps);
        var perToken = new List<DecoderStep>();
        bool fused = false;
        byte stripByte = 0;
        int stripCount = 0;
        char? firstTokenDrop = null;
        foreach (JsonElement step in steps)
        {
            string type = TypeOf(step);
            switch (type)
            {
                case "Fuse":
                case "ByteLevel":
                    fused = true;
                    if (type == "ByteLevel")
                    {
                        perToken.Add(new DecoderStep(DecoderKind.ByteLevel));
                    }

                    break;
                case "ByteFallback":
                    fused = true;
                    perToken.Add(new DecoderStep(DecoderKind.ByteFallback));
                    break;
                case "Replace":
                    (string from, Regex? pattern) = ReadPattern(step);
                    string to = Str(step, "content");
                    perToken.Add(new DecoderStep(DecoderKind.Replace, from, pattern is null ? to : to.Replace("$", "$$", StringComparison.Ordinal), pattern));
                    break;
                case "Metaspace":
                    char replacement = Str(step, "replacement", "▁")[0];
                    perToken.Add(new DecoderStep(DecoderKind.Metaspace, replacement.ToString(), " "));
                    if (ReadPrepend(step) != MetaspacePrepend.Never)
                    {
                        firstTokenDrop = replacement;
                    }

                    break;
                case "Strip":
                    string content = Str(step, "content", " ");
                    int start = Int(step, "start");
                    if (fused)
                    {
                        byte[] encoded = Encoding.UTF8.GetBytes(content);
                        stripByte = encoded.Length == 1 ? encoded[0] : (byte)0;
                        stripCount = encoded.Length == 1 ? start : 0;
                    }
                    else
                    {
                        perToken.Add(new DecoderStep(DecoderKind.Strip, content, Start: start, Stop: Int(step, "stop")));
                    }

                    break;
                default:
                    throw new NotSupportedException($"decoder type '{type}' is not supported");
            }
        }

        return new DecodePlan(perToken, [], stripByte, stripCount, firstTokenDrop);
    }

    private static void AddNormalizer(JsonElement node, List<NormalizerStep> steps)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        string type = TypeOf(node);
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement child in node.GetProperty("normalizers").EnumerateArray())
                {
                    AddNormalizer(child, steps);
                }

                break;
            case "NFC": steps.Add(NormalizerStep.Unicode(NormalizationForm.FormC)); break;
            case "NFD": steps.Add(NormalizerStep.Unicode(NormalizationForm.FormD)); break;
            case "NFKC": steps.Add(NormalizerStep.Unicode(NormalizationForm.FormKC)); break;
            case "NFKD": steps.Add(NormalizerStep.Unicode(NormalizationForm.FormKD)); break;
            case "Lowercase": steps.Add(NormalizerStep.Lowercase()); break;
            case "Prepend": steps.Add(NormalizerStep.Prepend(Str(node, "prepend"))); break;
            case "Append": steps.Add(NormalizerStep.Append(Str(node, "append"))); break;
            case "Replace":
                (string literal, Regex? pattern) = ReadPattern(node);
                steps.Add(pattern is null
                    ? NormalizerStep.ReplaceLiteral(literal, Str(node, "content"))
                    : NormalizerStep.ReplaceRegex(pattern, Str(node, "content")));
                break;
            default:
                throw new NotSupportedException($"normalizer type '{type}' is not supported");
        }
    }

    private static void AddPreTokenizer(JsonElement node, List<PreTokenizerStep> steps)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        string type = TypeOf(node);
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement child in node.GetProperty("pretokenizers").EnumerateArray())
                {
                    AddPreTokenizer(child, steps);
                }

                break;
            case "Split":
                (string literal, Regex? pattern) = ReadPattern(node);
                steps.Add(PreTokenizerStep.Split(
                    pattern ?? PatternCompiler.Literal(literal),
                    Enum.Parse<SplitBehavior>(Str(node, "behavior", "Isolated")),
                    Bool(node, "invert", false)));
                break;
            case "ByteLevel":
                steps.Add(PreTokenizerStep.ByteLevel(
                    Bool(node, "add_prefix_space", true),
                    Bool(node, "use_regex", true) ? PatternCompiler.Compile(PatternCompiler.Gpt2Pattern) : null));
                break;
            case "Digits":
                steps.Add(PreTokenizerStep.Split(
                    PatternCompiler.Compile(@"\p{N}"),
                    Bool(node, "individual_digits", false) ? SplitBehavior.Isolated : SplitBehavior.Contiguous,
                    invert: false));
                break;
            case "Metaspace":
                steps.Add(PreTokenizerStep.Metaspace(Str(node, "replacement", "▁")[0], ReadPrepend(node), Bool(node, "split", true)));
                break;
            case "Whitespace":
                steps.Add(PreTokenizerStep.Split(PatternCompiler.Compile(@"\w+|[^\w\s]+"), SplitBehavior.Removed, invert: true));
                break;
            case "WhitespaceSplit":
                steps.Add(PreTokenizerStep.Split(PatternCompiler.Compile(@"\s+"), SplitBehavior.Removed, invert: false));
                break;
            case "Punctuation":
                steps.Add(PreTokenizerStep.Split(
                    PatternCompiler.Compile(@"[\p{P}!-/:-@\[-`{-~]"),
                    Enum.Parse<SplitBehavior>(Str(node, "behavior", "Isolated")),
                    invert: false));
                break;
            case "CharDelimiterSplit":
                steps.Add(PreTokenizerStep.CharSplit(Str(node, "delimiter")[0]));
                break;
            default:
                throw new NotSupportedException($"pre_tokenizer type '{type}' is not supported");
        }
    }

    private static void Flatten(JsonElement node, List<JsonElement> steps)
    {
        if (TypeOf(node) == "Sequence")
        {
            foreach (JsonElement child in node.GetProperty("decoders").EnumerateArray())
            {
                Flatten(child, steps);
            }
        }
        else
        {
            steps.Add(node);
        }
    }

    private static MetaspacePrepend ReadPrepend(JsonElement node)
    {
        if (node.TryGetProperty("prepend_scheme", out JsonElement scheme) && scheme.ValueKind == JsonValueKind.String)
        {
            return Enum.Parse<MetaspacePrepend>(scheme.GetString()!, ignoreCase: true);
        }

        return Bool(node, "add_prefix_space", true) ? MetaspacePrepend.Always : MetaspacePrepend.Never;
    }

    private static (string Literal, Regex? Pattern) ReadPattern(JsonElement node)
    {
        JsonElement pattern = node.GetProperty("pattern");
        if (pattern.TryGetProperty("Regex", out JsonElement regex))
        {
            return (string.Empty, PatternCompiler.Compile(regex.GetString()!));
        }

        return (pattern.GetProperty("String").GetString()!, null);
    }

    private static string TypeOf(JsonElement node) =>
        node.TryGetProperty("type", out JsonElement type) ? type.GetString() ?? string.Empty : string.Empty;

    private static string Str(JsonElement node, string name, string fallback = "") =>
        node.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;

    private static bool Bool(JsonElement node, string name, bool fallback) =>
        node.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : fallback;

    private static int Int(JsonElement node, string name) =>
        node.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;
}
