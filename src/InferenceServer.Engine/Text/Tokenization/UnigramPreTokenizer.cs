using System.Text.Json;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// The pre-tokenizer of a SentencePiece-converted tokenizer.json: <c>Metaspace</c> (spaces become the replacement
/// character, one is prepended per <c>prepend_scheme</c>, and with <c>split</c> each one starts a new piece),
/// <c>WhitespaceSplit</c>, and <c>Sequence</c>s of them. A missing or null pre-tokenizer keeps the text whole.
/// </summary>
internal sealed class UnigramPreTokenizer
{
    private readonly List<Func<List<PreToken>, List<PreToken>>> _steps = [];

    private UnigramPreTokenizer()
    {
    }

    public static UnigramPreTokenizer Read(JsonElement? element)
    {
        var preTokenizer = new UnigramPreTokenizer();
        if (element is { ValueKind: JsonValueKind.Object } value)
        {
            preTokenizer.Add(value);
        }

        return preTokenizer;
    }

    /// <summary>Splits <paramref name="text"/>; <paramref name="atStart"/> says it begins the original input.</summary>
    public List<PreToken> Split(string text, bool atStart)
    {
        List<PreToken> pieces = [new PreToken(text, atStart)];
        foreach (Func<List<PreToken>, List<PreToken>> step in _steps)
        {
            pieces = step(pieces);
        }

        return pieces;
    }

    private void Add(JsonElement step)
    {
        string type = step.GetProperty("type").GetString() ?? string.Empty;
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement inner in step.GetProperty("pretokenizers").EnumerateArray())
                {
                    Add(inner);
                }

                break;
            case "Metaspace":
                char replacement = ReadReplacement(step);
                MetaspacePrepend scheme = ReadPrependScheme(step);
                bool split = !step.TryGetProperty("split", out JsonElement s) || s.GetBoolean();
                _steps.Add(pieces => Metaspace(pieces, replacement, scheme, split));
                break;
            case "WhitespaceSplit":
                _steps.Add(WhitespaceSplit);
                break;
            default:
                throw new NotSupportedException($"pre-tokenizer '{type}' is not supported by the Unigram tokenizer");
        }
    }

    internal static char ReadReplacement(JsonElement step)
    {
        string replacement = step.TryGetProperty("replacement", out JsonElement r) ? r.GetString() ?? "▁" : "▁";
        return replacement.Length == 1 ? replacement[0]
            : throw new FormatException($"Metaspace replacement '{replacement}' is not one character");
    }

    internal static MetaspacePrepend ReadPrependScheme(JsonElement step)
    {
        if (step.TryGetProperty("prepend_scheme", out JsonElement scheme) && scheme.ValueKind == JsonValueKind.String)
        {
            return scheme.GetString() switch
            {
                "always" => MetaspacePrepend.Always,
                "first" => MetaspacePrepend.First,
                "never" => MetaspacePrepend.Never,
                _ => throw new FormatException($"Metaspace prepend_scheme '{scheme.GetString()}' is unknown"),
            };
        }

        bool addPrefix = !step.TryGetProperty("add_prefix_space", out JsonElement add) || add.GetBoolean();
        return addPrefix ? MetaspacePrepend.Always : MetaspacePrepend.Never;
    }

    private static List<PreToken> Metaspace(List<PreToken> pieces, char replacement, MetaspacePrepend scheme, bool split)
    {
        var output = new List<PreToken>(pieces.Count);
        foreach (PreToken piece in pieces)
        {
            string text = piece.Text.Replace(' ', replacement);
            bool prepend = text.Length > 0 && text[0] != replacement
                && (scheme == MetaspacePrepend.Always || (scheme == MetaspacePrepend.First && piece.AtStart));
            if (prepend)
            {
                text = replacement + text;
            }

            if (!split)
            {
                output.Add(piece with { Text = text });
                continue;
            }

            int start = 0;
            for (int i = 1; i <= text.Length; i++)
            {
                if (i == text.Length || text[i] == replacement)
                {
                    output.Add(new PreToken(text[start..i], piece.AtStart && start == 0));
                    start = i;
                }
            }
        }

        return output;
    }

    private static List<PreToken> WhitespaceSplit(List<PreToken> pieces)
    {
        var output = new List<PreToken>(pieces.Count);
        foreach (PreToken piece in pieces)
        {
            string text = piece.Text;
            int i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                int start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (i > start)
                {
                    output.Add(new PreToken(text[start..i], piece.AtStart && start == 0));
                }
            }
        }

        return output;
    }
}
