using InferenceServer.Engine.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// A vision-language folder's token input: each run's ids go through the embedding graph first, with the row's image
/// features on the run that holds its image tokens (none on decode and verify runs), and its <c>inputs_embeds</c>
/// output is bound as the decoder's input as it comes (float32 or float16, whatever the export chose); the features
/// are passed in the embedding graph's type (float16 in a GPU export).
/// </summary>
internal sealed class EmbeddingInput : TokenInput
{
    private readonly InferenceSession _session;
    private readonly Phi3VisionConfig _config;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly TensorElementType _featureType;

    public EmbeddingInput(InferenceSession session, Phi3VisionConfig config)
    {
        _session = session;
        _featureType = session.InputMetadata[config.ImageFeaturesIn].ElementDataType;
        _config = config;
        _inputNames = [config.InputIds, config.ImageFeaturesIn];
        _outputNames = [config.InputsEmbedsOut];
    }

    public override string Name => _config.InputsEmbedsIn;

    public override bool BindsOnce => false;

    public override IDisposable? Bind(OrtIoBinding binding, OrtValue ids, ReadOnlyMemory<float> features, RunOptions? run)
    {
        var hidden = _config.HiddenSize;
        using var featureValue = FloatTensors.Input(features, [features.Length / hidden, hidden], _featureType);
        ArgumentNullException.ThrowIfNull(run);
        var results = _session.Run(run, _inputNames, [ids, featureValue], _outputNames);
        binding.BindInput(Name, results[0]);
        return results;
    }

    public override void Dispose() => _session.Dispose();
}
