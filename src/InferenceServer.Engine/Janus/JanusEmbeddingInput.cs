using InferenceServer.Engine.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// A Janus-Pro folder's token input: each run's ids go through <c>prepare_inputs_embeds</c> with no image (pixel
/// values of zero images, as transformers.js passes on its decode steps, an all-false seq mask and an emb mask of zero
/// images; negative ids read as 0), and
/// the rows of the run's image ids are then overwritten, in order, by the image rows <see cref="JanusEncoder"/> made.
/// The result is bound as the language model's <c>inputs_embeds</c> (float32, or float16 in the fp16 variants: the
/// image rows are converted where they are written).
/// </summary>
internal sealed class JanusEmbeddingInput : TokenInput
{
    private readonly InferenceSession _session;
    private readonly int _hidden;
    private readonly int _size;
    private readonly int _imageTokens;
    private readonly string _name;
    private readonly bool _ownsSession;
    private readonly TensorElementType _pixelType;
    private bool[] _noImages = [];

    /// <param name="ownsSession">False for a second input over a session the first one disposes.</param>
    public JanusEmbeddingInput(InferenceSession session, JanusConfig config, string name, bool ownsSession = true)
    {
        _session = session;
        _ownsSession = ownsSession;
        _pixelType = session.InputMetadata[JanusGraphNames.PixelValues].ElementDataType;
        _hidden = config.HiddenSize;
        _size = config.ImageSize;
        _imageTokens = config.ImageTokens;
        _name = name;
    }

    public override string Name => _name;

    /// <summary>The <c>prepare_inputs_embeds</c> session (for a second input that shares it).</summary>
    public InferenceSession Session => _session;

    public override bool BindsOnce => false;

    public override IDisposable? Bind(OrtIoBinding binding, OrtValue ids, ReadOnlyMemory<float> features, RunOptions? run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var shape = ids.GetTensorTypeAndShape().Shape;
        var (batch, length) = ((int)shape[0], (int)shape[1]);
        var values = ids.GetTensorDataAsSpan<long>();
        if (_noImages.Length < batch * length)
        {
            _noImages = new bool[Math.Max(batch * length, 2 * _noImages.Length)];
        }

        using var seqMask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _noImages.AsMemory(0, batch * length), [batch, length]);
        using var pixels = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _pixelType, [0, 0, 3, _size, _size]);
        using var embMask = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Bool, [batch, 0, _imageTokens]);
        var results = _session.Run(run, JanusGraphNames.Inputs, [ids, pixels, seqMask, embMask], JanusGraphNames.Outputs);
        if (!features.IsEmpty)
        {
            var row = 0;
            for (var p = 0; p < values.Length; p++)
            {
                if (values[p] < 0)
                {
                    FloatTensors.Write(results[0], p * _hidden, features.Span.Slice(row * _hidden, _hidden));
                    row++;
                }
            }
        }

        binding.BindInput(_name, results[0]);
        return results;
    }

    public override void Dispose()
    {
        if (_ownsSession)
        {
            _session.Dispose();
        }
    }
}
