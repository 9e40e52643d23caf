using System.Buffers.Binary;
using System.Text;

namespace InferenceServer.Tests.ModelForge.Llama2c;

/// <summary>
/// An independent port of llama2.c's <c>encode()</c> (run.c), straight from a <c>tokenizer.bin</c>: BOS, a dummy
/// space, one piece per UTF-8 character (else its bytes + 3), then repeatedly merge the leftmost adjacent pair whose
/// concatenation is the piece with the highest score. It shares nothing with the converter or our tokenizer.
/// </summary>
internal sealed class RunCEncoder
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly float[] _scores;
    private readonly string[] _pieces;

    public RunCEncoder(byte[] tokenizerBin, int vocabSize)
    {
        _scores = new float[vocabSize];
        _pieces = new string[vocabSize];
        int offset = 4;
        for (int i = 0; i < vocabSize; i++)
        {
            _scores[i] = BinaryPrimitives.ReadSingleLittleEndian(tokenizerBin.AsSpan(offset));
            int length = BinaryPrimitives.ReadInt32LittleEndian(tokenizerBin.AsSpan(offset + 4));
            _pieces[i] = Encoding.UTF8.GetString(tokenizerBin, offset + 8, length);
            _ids.TryAdd(_pieces[i], i); // str_lookup finds the first
            offset += 8 + length;
        }
    }

    public int[] Encode(string text)
    {
        var tokens = new List<int> { 1 };
        if (text.Length > 0)
        {
            tokens.Add(_ids[" "]);
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int i = 0;
        while (i < utf8.Length)
        {
            int length = 1;
            while (i + length < utf8.Length && (utf8[i + length] & 0xC0) == 0x80 && length < 4)
            {
                length++;
            }

            string character = Encoding.UTF8.GetString(utf8, i, length);
            if (_ids.TryGetValue(character, out int id))
            {
                tokens.Add(id);
            }
            else
            {
                for (int b = 0; b < length; b++)
                {
                    tokens.Add(utf8[i + b] + 3);
                }
            }

            i += length;
        }

        while (true)
        {
            float bestScore = -1e10f;
            int bestId = -1;
            int bestIndex = -1;
            for (int t = 0; t + 1 < tokens.Count; t++)
            {
                if (_ids.TryGetValue(_pieces[tokens[t]] + _pieces[tokens[t + 1]], out int merged) && _scores[merged] > bestScore)
                {
                    bestScore = _scores[merged];
                    bestId = merged;
                    bestIndex = t;
                }
            }

            if (bestIndex < 0)
            {
                return [.. tokens];
            }

            tokens[bestIndex] = bestId;
            tokens.RemoveAt(bestIndex + 1);
        }
    }
}
