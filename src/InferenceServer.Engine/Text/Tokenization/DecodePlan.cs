using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// A tokenizer.json decoder chain reduced to bytes: what each token contributes, what goes between tokens, and what is
/// stripped from the very start. Decoding then is "concatenate bytes, decode UTF-8", which streams exactly.
/// </summary>
internal sealed class DecodePlan
{
    private readonly List<DecoderStep> _perToken;

    public DecodePlan(List<DecoderStep> perToken, byte[] separator, byte leadingStripByte, int leadingStripCount, char? firstTokenDrop)
    {
        _perToken = perToken;
        Separator = separator;
        LeadingStripByte = leadingStripByte;
        LeadingStripCount = leadingStripCount;
        FirstTokenDrop = firstTokenDrop;
    }

    /// <summary>Bytes between two tokens (a space when the file has no decoder, as Hugging Face joins with " ").</summary>
    public byte[] Separator { get; }

    public byte LeadingStripByte { get; }

    public int LeadingStripCount { get; }

    /// <summary>Metaspace: in the first token the replacement character is dropped instead of becoming a space.</summary>
    public char? FirstTokenDrop { get; }

    public byte[] TokenBytes(string token, bool first)
    {
        string text = token;
        foreach (DecoderStep step in _perToken)
        {
            switch (step.Kind)
            {
                case DecoderKind.Replace:
                    text = step.Pattern is null ? text.Replace(step.From, step.To, StringComparison.Ordinal) : step.Pattern.Replace(text, step.To);
                    break;
                case DecoderKind.ByteFallback when TryParseByteToken(text, out byte value):
                    return [value];
                case DecoderKind.ByteLevel:
                    return ByteLevelBytes(text);
                case DecoderKind.Metaspace:
                    text = first && FirstTokenDrop is char drop
                        ? text.Replace(drop.ToString(), string.Empty, StringComparison.Ordinal)
                        : text.Replace(step.From, step.To, StringComparison.Ordinal);
                    break;
                case DecoderKind.Strip:
                    text = Strip(text, step.From[0], step.Start, step.Stop);
                    break;
                default:
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private static bool TryParseByteToken(string text, out byte value)
    {
        value = 0;
        return text.Length == 6 && text.StartsWith("<0x", StringComparison.Ordinal) && text[5] == '>'
            && byte.TryParse(text.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static byte[] ByteLevelBytes(string text)
    {
        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!ByteLevelAlphabet.TryGetByte(text[i], out bytes[i]))
            {
                return Encoding.UTF8.GetBytes(text);
            }
        }

        return bytes;
    }

    private static string Strip(string text, char content, int start, int stop)
    {
        int from = 0;
        while (from < start && from < text.Length && text[from] == content)
        {
            from++;
        }

        int to = text.Length;
        while (text.Length - to < stop && to > from && text[to - 1] == content)
        {
            to--;
        }

        return text[from..to];
    }
}
