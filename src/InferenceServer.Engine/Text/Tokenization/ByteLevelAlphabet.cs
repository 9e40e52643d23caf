namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>GPT-2's reversible map between the 256 byte values and printable Unicode characters.</summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByteTable = BuildCharToByte();

    /// <summary>The printable character GPT-2 uses for <paramref name="value"/>.</summary>
    public static char ToChar(byte value) => ByteToCharTable[value];

    /// <summary>The byte a byte-level character stands for, if it is one.</summary>
    public static bool TryGetByte(char symbol, out byte value) => CharToByteTable.TryGetValue(symbol, out value);

    /// <summary>Maps the UTF-8 bytes of <paramref name="text"/> to byte-level characters.</summary>
    public static string Encode(string text)
    {
        int byteCount = System.Text.Encoding.UTF8.GetByteCount(text);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            int written = System.Text.Encoding.UTF8.GetBytes(text, buffer);
            return string.Create(written, buffer, static (span, bytes) =>
            {
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = ByteToCharTable[bytes[i]];
                }
            });
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)(256 + next++);
        }

        return table;
    }

    private static Dictionary<char, byte> BuildCharToByte()
    {
        var map = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++)
        {
            map[ByteToCharTable[b]] = (byte)b;
        }

        return map;
    }
}
