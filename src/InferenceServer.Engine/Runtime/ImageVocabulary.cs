using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// A decoder's second vocabulary, the image tokens of a model that draws token by token (Janus-Pro): an embedding
/// graph (<c>gen_img_embeds</c>: <c>image_ids</c> → <c>inputs_embeds</c>) that feeds a drawn token back, and a head
/// (<c>gen_head</c>) that reads the decoder's hidden states into image logits. A <see cref="BatchDecoder"/> step runs
/// both only for the rows that draw (<see cref="RowKind"/>), beside the text rows of the same run.
/// </summary>
internal sealed class ImageVocabulary : IDisposable
{
    public const string ImageIds = "image_ids";

    private static readonly string[] Inputs = [ImageIds];
    private readonly InferenceSession _embeds;
    private readonly string[] _outputs;

    /// <param name="embeds">The <c>gen_img_embeds</c> session (owned from here on).</param>
    /// <param name="head">The <c>gen_head</c> graph (owned from here on).</param>
    /// <param name="embedsOutput">The embedding graph's output (<c>inputs_embeds</c>).</param>
    /// <param name="codebook">Image tokens in the codebook: the width of the head's logits.</param>
    public ImageVocabulary(InferenceSession embeds, LogitsHead head, string embedsOutput, int codebook)
    {
        _embeds = embeds;
        Head = head;
        _outputs = [embedsOutput];
        Codebook = codebook;
    }

    public LogitsHead Head { get; }

    public int Codebook { get; }

    /// <summary>The embedding rows of <paramref name="tokens"/> (one per token, hidden wide), as float32.</summary>
    public float[] Embed(long[] tokens, RunOptions run)
    {
        using var ids = OrtValue.CreateTensorValueFromMemory(tokens, [tokens.Length, 1]);
        using var results = _embeds.Run(run, Inputs, [ids], _outputs);
        return FloatTensors.Read(results[0]);
    }

    /// <summary>The image logits of <paramref name="hidden"/> (rows × width float32 hidden states), rows × <see cref="Codebook"/>.</summary>
    public float[] Logits(float[] hidden, int rows, int width, RunOptions run)
    {
        using var input = FloatTensors.Input(hidden, [rows, 1, width], Head.HiddenType);
        using var results = Head.Run(run, input);
        return FloatTensors.Read(results[0]);
    }

    public void Dispose()
    {
        _embeds.Dispose();
        Head.Dispose();
    }
}
