using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// tokenizer.json's <c>Precompiled</c> normalizer: SentencePiece's compiled normalization rules (a Darts double-array
/// trie over UTF-8 keys, then the NUL-terminated replacement strings), applied as Hugging Face's <c>spm_precompiled</c>
/// does: each grapheme cluster shorter than 6 UTF-8 bytes is replaced whole when its shortest trie prefix matches,
/// otherwise each of its characters is looked up on its own.
/// </summary>
internal sealed class PrecompiledCharsMap
{
    private readonly uint[] _units;
    private readonly byte[] _normalized;

    private PrecompiledCharsMap(uint[] units, byte[] normalized)
    {
        _units = units;
        _normalized = normalized;
    }

    /// <summary>Parses the decoded bytes of <c>precompiled_charsmap</c>.</summary>
    public static PrecompiledCharsMap Parse(byte[] charsmap)
    {
        if (charsmap.Length < 4)
        {
            throw new FormatException("precompiled_charsmap is shorter than its 4-byte header");
        }

        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(charsmap);
        if (trieSize % 4 != 0 || trieSize > charsmap.Length - 4 || trieSize == 0)
        {
            throw new FormatException($"precompiled_charsmap declares a trie of {trieSize} bytes in {charsmap.Length}");
        }

        var units = new uint[trieSize / 4];
        for (int i = 0; i < units.Length; i++)
        {
            units[i] = BinaryPrimitives.ReadUInt32LittleEndian(charsmap.AsSpan(4 + (i * 4)));
        }

        byte[] normalized = charsmap[(4 + (int)trieSize)..];
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(normalized);
        return new PrecompiledCharsMap(units, normalized);
    }

    /// <summary>Normalizes <paramref name="text"/>.</summary>
    public string Normalize(string text)
    {
        var output = new StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[64];
        int index = 0;
        while (index < text.Length)
        {
            int length = StringInfo.GetNextTextElementLength(text.AsSpan(index));
            ReadOnlySpan<char> grapheme = text.AsSpan(index, length);
            index += length;
            if (Encoding.UTF8.GetByteCount(grapheme) < 6)
            {
                int count = Encoding.UTF8.GetBytes(grapheme, utf8);
                if (TryTransform(utf8[..count], output))
                {
                    continue;
                }
            }

            for (int i = 0; i < grapheme.Length; i++)
            {
                int charLength = char.IsHighSurrogate(grapheme[i]) && i + 1 < grapheme.Length
                    && char.IsLowSurrogate(grapheme[i + 1]) ? 2 : 1;
                ReadOnlySpan<char> part = grapheme.Slice(i, charLength);
                int count = Encoding.UTF8.GetBytes(part, utf8);
                if (!TryTransform(utf8[..count], output))
                {
                    output.Append(part);
                }

                i += charLength - 1;
            }
        }

        return output.ToString();
    }

    /// <summary>Appends the replacement of the shortest key that prefixes <paramref name="key"/>, if any.</summary>
    private bool TryTransform(ReadOnlySpan<byte> key, StringBuilder output)
    {
        int value = ShortestPrefixValue(key);
        if (value < 0)
        {
            return false;
        }

        int end = value;
        while (end < _normalized.Length && _normalized[end] != 0)
        {
            end++;
        }

        if (value <= _normalized.Length)
        {
            output.Append(Encoding.UTF8.GetString(_normalized, value, end - value));
        }

        return true;
    }

    private int ShortestPrefixValue(ReadOnlySpan<byte> key)
    {
        uint position = Offset(_units[0]);
        foreach (byte c in key)
        {
            if (c == 0)
            {
                break;
            }

            position ^= c;
            if (position >= _units.Length)
            {
                return -1;
            }

            uint unit = _units[position];
            if ((unit & ((1u << 31) | 0xFF)) != c)
            {
                return -1;
            }

            position ^= Offset(unit);
            if (((unit >> 8) & 1) == 1)
            {
                return position < _units.Length ? (int)(_units[position] & ((1u << 31) - 1)) : -1;
            }
        }

        return -1;
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
