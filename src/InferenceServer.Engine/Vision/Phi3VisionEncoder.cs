using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// The image side of a GenAI phi3v folder: each image through the Phi-3 HD transform on the caller's thread (the
/// request's), then the vision graph over a request's images in a run it shares with the other requests encoding at
/// the same time (<see cref="VisionBatcher{TImage}"/>), and the rendered prompt tokenized with each
/// <c>&lt;|image_N|&gt;</c> expanded to image N's tokens. None of it stalls the scheduler's streams; the embedding graph
/// runs in the scheduler (see <see cref="EmbeddingInput"/>).
/// </summary>
internal sealed class Phi3VisionEncoder : VisionEncoder
{
    private readonly InferenceSession _session;
    private readonly Phi3VisionConfig _config;
    private readonly BpeTokenizer _tokenizer;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public Phi3VisionEncoder(InferenceSession session, Phi3VisionConfig config, BpeTokenizer tokenizer, string name)
    {
        _session = session;
        _config = config;
        _tokenizer = tokenizer;
        _inputNames = [config.PixelValues, config.ImageSizes];
        _outputNames = [config.ImageFeaturesOut];
        Batcher = new VisionBatcher<Phi3ProcessedImage>(Features, i => i.ImageTokens, config.HiddenSize, name);
    }

    /// <summary>The vision graph's runs, shared across requests.</summary>
    internal VisionBatcher<Phi3ProcessedImage> Batcher { get; }

    public override (int[] Ids, PromptImages Images) Encode(string prompt, IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
    {
        var processed = new Phi3ProcessedImage[images.Count];
        var tokens = new int[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            processed[i] = Phi3ImageProcessor.Process(images[i]);
            tokens[i] = processed[i].ImageTokens;
        }

        var ids = Phi3VisionPrompt.Expand(_tokenizer, prompt, tokens);
        ImageTokenIds.Key(ids, images);
        var features = processed.Length == 0 ? [] : Batcher.Run(processed, cancellationToken);
        return (ids, new PromptImages(features, _config.HiddenSize, images.Count));
    }

    /// <summary>The vision graph's <c>image_features</c> (image tokens × hidden) for the processed images, in one run.</summary>
    private float[] Features(IReadOnlyList<Phi3ProcessedImage> images, RunOptions run)
    {
        var crop = images[0].PixelValues.Length;
        var pixels = new float[images.Count * crop];
        var sizes = new long[images.Count * 2];
        for (var i = 0; i < images.Count; i++)
        {
            images[i].PixelValues.CopyTo(pixels, i * crop);
            sizes[i * 2] = images[i].HdHeight;
            sizes[(i * 2) + 1] = images[i].HdWidth;
        }

        long[] pixelShape = [images.Count, Phi3ImageProcessor.MaxCrops + 1, 3, Phi3ImageProcessor.CropSize, Phi3ImageProcessor.CropSize];
        using var pixelValue = FloatTensors.Input(pixels, pixelShape, _session.InputMetadata[_config.PixelValues].ElementDataType);
        using var sizeValue = OrtValue.CreateTensorValueFromMemory(sizes, [images.Count, 2]);
        using var results = _session.Run(run, _inputNames, [pixelValue, sizeValue], _outputNames);
        return FloatTensors.Read(results[0]);
    }

    public override void Dispose()
    {
        Batcher.Dispose();
        _session.Dispose();
    }
}
