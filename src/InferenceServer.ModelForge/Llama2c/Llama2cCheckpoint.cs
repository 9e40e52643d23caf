using System.Buffers.Binary;

namespace InferenceServer.ModelForge.Llama2c;

/// <summary>
/// A llama2.c checkpoint (the <c>run.c</c> format): a header of seven int32 and the fp32 tensors in their file order,
/// each matrix row-major <c>[out, in]</c>. A negative vocab size in the header means a separate classifier follows.
/// </summary>
public sealed class Llama2cCheckpoint
{
    private const int HeaderInts = 7;

    private Llama2cCheckpoint(int[] header)
    {
        Dim = header[0];
        HiddenDim = header[1];
        Layers = header[2];
        Heads = header[3];
        KvHeads = header[4];
        SharedClassifier = header[5] > 0;
        VocabSize = Math.Abs(header[5]);
        SeqLen = header[6];
        if (Dim <= 0 || HiddenDim <= 0 || Layers <= 0 || Heads <= 0 || KvHeads <= 0 || VocabSize == 0 || SeqLen <= 0
            || Dim % Heads != 0 || Heads % KvHeads != 0)
        {
            throw new InvalidDataException($"Not a llama2.c checkpoint header: [{string.Join(", ", header)}].");
        }
    }

    public int Dim { get; }

    public int HiddenDim { get; }

    public int Layers { get; }

    public int Heads { get; }

    public int KvHeads { get; }

    public int VocabSize { get; }

    public int SeqLen { get; }

    /// <summary>True when the output classifier is the token embedding (a positive vocab size in the header).</summary>
    public bool SharedClassifier { get; }

    public int HeadSize => Dim / Heads;

    public int KvDim => KvHeads * HeadSize;

    public float[] TokenEmbedding { get; private set; } = [];

    public float[] RmsAttention { get; private set; } = [];

    public float[] Wq { get; private set; } = [];

    public float[] Wk { get; private set; } = [];

    public float[] Wv { get; private set; } = [];

    public float[] Wo { get; private set; } = [];

    public float[] RmsFfn { get; private set; } = [];

    public float[] W1 { get; private set; } = [];

    public float[] W2 { get; private set; } = [];

    public float[] W3 { get; private set; } = [];

    public float[] RmsFinal { get; private set; } = [];

    /// <summary>The classifier <c>[vocab, dim]</c>: the token embedding itself when shared.</summary>
    public float[] Classifier { get; private set; } = [];

    public static Llama2cCheckpoint Read(string path) => Read(File.ReadAllBytes(path));

    public static Llama2cCheckpoint Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < HeaderInts * 4)
        {
            throw new InvalidDataException("A llama2.c checkpoint needs a 28-byte header.");
        }

        var header = new int[HeaderInts];
        for (int i = 0; i < HeaderInts; i++)
        {
            header[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        }

        var c = new Llama2cCheckpoint(header);
        int offset = HeaderInts * 4;
        float[] Next(int count)
        {
            if (offset + ((long)count * 4) > bytes.Length)
            {
                throw new InvalidDataException($"The llama2.c checkpoint ends early: {bytes.Length} bytes for the shapes its header gives.");
            }

            var values = new float[count];
            Buffer.BlockCopy(bytes, offset, values, 0, count * 4);
            offset += count * 4;
            return values;
        }

        int l = c.Layers;
        c.TokenEmbedding = Next(c.VocabSize * c.Dim);
        c.RmsAttention = Next(l * c.Dim);
        c.Wq = Next(l * c.Dim * c.Dim);
        c.Wk = Next(l * c.KvDim * c.Dim);
        c.Wv = Next(l * c.KvDim * c.Dim);
        c.Wo = Next(l * c.Dim * c.Dim);
        c.RmsFfn = Next(l * c.Dim);
        c.W1 = Next(l * c.HiddenDim * c.Dim);
        c.W2 = Next(l * c.Dim * c.HiddenDim);
        c.W3 = Next(l * c.HiddenDim * c.Dim);
        c.RmsFinal = Next(c.Dim);
        _ = Next(c.SeqLen * c.HeadSize); // legacy freq_cis_real and freq_cis_imag, seq_len * head_size / 2 each
        c.Classifier = c.SharedClassifier ? c.TokenEmbedding : Next(c.VocabSize * c.Dim);
        return c;
    }
}
