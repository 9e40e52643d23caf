using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// The decoder of a SentencePiece-converted tokenizer.json: <c>Metaspace</c> (the replacement character becomes a
/// space, and is dropped from the first token unless <c>prepend_scheme</c> is <c>never</c>), <c>ByteFallback</c>,
/// <c>Fuse</c>, <c>Replace</c>, <c>Strip</c> and <c>Sequence</c>s of them. With none, tokens are joined by spaces,
/// as Hugging Face does.
/// </summary>
internal sealed class UnigramDecoder
{
    private readonly List<Func<List<string>, List<string>>> _steps = [];
    private bool _present;

    private UnigramDecoder()
    {
    }

    public static UnigramDecoder Read(JsonElement? element)
    {
        var decoder = new UnigramDecoder();
        if (element is { ValueKind: JsonValueKind.Object } value)
        {
            decoder._present = true;
            decoder.Add(value);
        }

        return decoder;
    }

    public string Decode(List<string> tokens)
    {
        if (!_present)
        {
            return string.Join(' ', tokens);
        }

        foreach (Func<List<string>, List<string>> step in _steps)
        {
            tokens = step(tokens);
        }

        return string.Concat(tokens);
    }

    private void Add(JsonElement step)
    {
        string type = step.GetProperty("type").GetString() ?? string.Empty;
        switch (type)
        {
            case "Sequence":
                foreach (JsonElement inner in step.GetProperty("decoders").EnumerateArray())
                {
                    Add(inner);
                }

                break;
            case "Metaspace":
                char replacement = UnigramPreTokenizer.ReadReplacement(step);
                bool dropFirst = UnigramPreTokenizer.ReadPrependScheme(step) != MetaspacePrepend.Never;
                _steps.Add(tokens => tokens.Select((token, i) => i == 0 && dropFirst
                    ? token.Replace(replacement.ToString(), string.Empty, StringComparison.Ordinal)
                    : token.Replace(replacement, ' ')).ToList());
                break;
            case "ByteFallback":
                _steps.Add(ByteFallback);
                break;
            case "Fuse":
                _steps.Add(tokens => [string.Concat(tokens)]);
                break;
            case "Replace":
                string from = step.GetProperty("pattern").GetProperty("String").GetString() ?? string.Empty;
                string to = step.GetProperty("content").GetString() ?? string.Empty;
                _steps.Add(tokens => tokens.Select(t => from.Length == 0 ? t : t.Replace(from, to, StringComparison.Ordinal)).ToList());
                break;
            case "Strip":
                string content = step.GetProperty("content").GetString() ?? " ";
                int start = step.GetProperty("start").GetInt32();
                int stop = step.GetProperty("stop").GetInt32();
                _steps.Add(tokens => tokens.Select(t => Strip(t, content[0], start, stop)).ToList());
                break;
            default:
                throw new NotSupportedException($"decoder '{type}' is not supported by the Unigram tokenizer");
        }
    }

    private static List<string> ByteFallback(List<string> tokens)
    {
        var output = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (string token in tokens)
        {
            if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
                && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
            {
                pending.Add(b);
                continue;
            }

            Flush(pending, output);
            output.Add(token);
        }

        Flush(pending, output);
        return output;
    }

    private static void Flush(List<byte> pending, List<string> output)
    {
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            output.Add(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(pending.ToArray()));
        }
        catch (DecoderFallbackException)
        {
            output.AddRange(Enumerable.Repeat("\uFFFD", pending.Count));
        }

        pending.Clear();
    }

    private static string Strip(string token, char content, int start, int stop)
    {
        int begin = 0;
        while (begin < start && begin < token.Length && token[begin] == content)
        {
            begin++;
        }

        int end = token.Length;
        while (token.Length - end < stop && end > begin && token[end - 1] == content)
        {
            end--;
        }

        return token[begin..end];
    }
}
