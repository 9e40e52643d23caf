using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// The normalizer of a SentencePiece-converted tokenizer.json, read from its JSON: <c>Precompiled</c>,
/// <c>Replace</c> (string or regex), <c>Strip</c>, <c>Prepend</c>, <c>Lowercase</c>, the four Unicode forms, and
/// <c>Sequence</c>s of them. A missing or null normalizer leaves text as it is.
/// </summary>
internal sealed class UnigramNormalizer
{
    private readonly List<Func<string, string>> _steps = [];

    private UnigramNormalizer()
    {
    }

    public static UnigramNormalizer Read(JsonElement? element)
    {
        var normalizer = new UnigramNormalizer();
        if (element is { ValueKind: JsonValueKind.Object } value)
        {
            normalizer.Add(value);
        }

        return normalizer;
    }

    public string Normalize(string text)
    {
        foreach (Func<string, string> step in _steps)
        {
            text = step(text);
        }

        return text;
    }

    private void Add(JsonElement step)
    {
        string type = step.GetProperty("type").GetString() ?? string.Empty;
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement inner in step.GetProperty("normalizers").EnumerateArray())
                {
                    Add(inner);
                }

                break;
            case "Precompiled":
                if (step.TryGetProperty("precompiled_charsmap", out JsonElement map) && map.ValueKind == JsonValueKind.String
                    && map.GetString() is { Length: > 0 } base64)
                {
                    PrecompiledCharsMap charsMap = PrecompiledCharsMap.Parse(Convert.FromBase64String(base64));
                    _steps.Add(charsMap.Normalize);
                }

                break;
            case "Replace":
                _steps.Add(Replacement(step));
                break;
            case "Strip":
                bool left = step.TryGetProperty("strip_left", out JsonElement l) && l.GetBoolean();
                bool right = step.TryGetProperty("strip_right", out JsonElement r) && r.GetBoolean();
                _steps.Add(text => (left, right) switch
                {
                    (true, true) => text.Trim(),
                    (true, false) => text.TrimStart(),
                    (false, true) => text.TrimEnd(),
                    _ => text,
                });
                break;
            case "Prepend":
                string prefix = step.GetProperty("prepend").GetString() ?? string.Empty;
                _steps.Add(text => text.Length == 0 ? text : prefix + text);
                break;
            case "Lowercase":
                _steps.Add(text => text.ToLowerInvariant());
                break;
            case "NFC" or "NFD" or "NFKC" or "NFKD":
                NormalizationForm form = Enum.Parse<NormalizationForm>("Form" + type[2..]);
                _steps.Add(text => text.Normalize(form));
                break;
            default:
                throw new NotSupportedException($"normalizer '{type}' is not supported by the Unigram tokenizer");
        }
    }

    private static Func<string, string> Replacement(JsonElement step)
    {
        JsonElement pattern = step.GetProperty("pattern");
        string content = step.GetProperty("content").GetString() ?? string.Empty;
        if (pattern.TryGetProperty("String", out JsonElement literal))
        {
            string from = literal.GetString() ?? string.Empty;
            return text => from.Length == 0 ? text : text.Replace(from, content, StringComparison.Ordinal);
        }

        var regex = new Regex(pattern.GetProperty("Regex").GetString() ?? string.Empty,
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10));
        return text => regex.Replace(text, content.Replace("$", "$$", StringComparison.Ordinal));
    }
}
