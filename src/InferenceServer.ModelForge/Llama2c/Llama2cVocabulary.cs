using System.Buffers.Binary;
using System.Text;

namespace InferenceServer.ModelForge.Llama2c;

/// <summary>
/// A llama2.c tokenizer export (<c>tokenizer.bin</c>): an int32 max piece length, then per piece a float32 score, an
/// int32 byte length and the UTF-8 bytes. Pieces hold a plain space where SentencePiece writes U+2581.
/// </summary>
public sealed class Llama2cVocabulary
{
    /// <summary>Id of <c>&lt;unk&gt;</c> in every llama2.c export.</summary>
    public const int UnknownId = 0;

    /// <summary>Id of <c>&lt;s&gt;</c> (BOS); llama2.c also ends a story with it.</summary>
    public const int BosId = 1;

    /// <summary>Id of <c>&lt;/s&gt;</c> (EOS).</summary>
    public const int EosId = 2;

    /// <summary>Id of <c>&lt;0x00&gt;</c>; byte b is <c>FirstByteId + b</c>.</summary>
    public const int FirstByteId = 3;

    private Llama2cVocabulary(string[] pieces, float[] scores)
    {
        Pieces = pieces;
        Scores = scores;
    }

    /// <summary>The pieces by id, as stored (BOS and EOS are <c>"\n&lt;s&gt;\n"</c> and <c>"\n&lt;/s&gt;\n"</c>).</summary>
    public IReadOnlyList<string> Pieces { get; }

    /// <summary>The merge scores by id (higher merges first).</summary>
    public IReadOnlyList<float> Scores { get; }

    public static Llama2cVocabulary Read(string path, int vocabSize) => Read(File.ReadAllBytes(path), vocabSize);

    public static Llama2cVocabulary Read(byte[] bytes, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var pieces = new string[vocabSize];
        var scores = new float[vocabSize];
        int offset = 4;
        for (int id = 0; id < vocabSize; id++)
        {
            if (offset + 8 > bytes.Length)
            {
                throw new InvalidDataException($"The llama2.c tokenizer ends after {id} pieces; the checkpoint has {vocabSize}.");
            }

            scores[id] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset));
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            offset += 8;
            if (length < 0 || offset + length > bytes.Length)
            {
                throw new InvalidDataException($"Piece {id} of the llama2.c tokenizer has an impossible length {length}.");
            }

            pieces[id] = Encoding.UTF8.GetString(bytes, offset, length);
            offset += length;
        }

        if (vocabSize < FirstByteId + 256 || pieces[FirstByteId] != "<0x00>" || pieces[FirstByteId + 255] != "<0xFF>")
        {
            throw new InvalidDataException("The llama2.c tokenizer has no byte pieces <0x00>..<0xFF> at ids 3..258.");
        }

        return new Llama2cVocabulary(pieces, scores);
    }

    /// <summary>True for the pieces merging can produce: not unk, BOS, EOS or a byte piece.</summary>
    public bool IsMergeable(int id) => id >= FirstByteId + 256;
}
